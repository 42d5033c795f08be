// The Go baseline for bench/run.sh, shaped like the book's netcat3 (exercise 8.3): copy the
// socket to stdout in a goroutine, stdin to the socket in main, then close only the write half
// and wait for the server to close. Written for the benchmark.
package main

import (
	"io"
	"log"
	"net"
	"os"
)

func main() {
	conn, err := net.Dial("tcp", os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		io.Copy(os.Stdout, conn) // ignore errors, as the book does
		done <- struct{}{}
	}()
	if _, err := io.Copy(conn, os.Stdin); err != nil {
		log.Fatal(err)
	}
	conn.(*net.TCPConn).CloseWrite()
	<-done
}
