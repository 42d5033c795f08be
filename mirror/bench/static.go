// The zero-latency benchmark's server: Go's http.FileServer over a directory on 127.0.0.1, as a
// user would serve a static site, counting the bytes it sends and receives on its connections.
//
//	go run mirror/bench/static.go DIR
//
// Prints "PORT STATS_PORT" on stdout once listening; GET http://127.0.0.1:STATS_PORT/ answers
// "REQUESTS SENT_BYTES RECEIVED_BYTES" so far (a separate listener, so it is not part of the site).
package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"sync/atomic"
)

var sent, received, requests atomic.Int64

type countingConn struct{ net.Conn }

func (c countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	received.Add(int64(n))
	return n, err
}

func (c countingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	sent.Add(int64(n))
	return n, err
}

type countingListener struct{ net.Listener }

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c}, nil
}

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: go run static.go DIR")
	}
	site, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	stats, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	files := http.FileServer(http.Dir(os.Args[1]))
	go http.Serve(stats, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%d %d %d\n", requests.Load(), sent.Load(), received.Load())
	}))
	fmt.Printf("%d %d\n", site.Addr().(*net.TCPAddr).Port, stats.Addr().(*net.TCPAddr).Port)
	os.Stdout.Sync()
	log.Fatal(http.Serve(countingListener{site}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		files.ServeHTTP(w, r)
	})))
}
