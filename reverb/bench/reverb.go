// The Go baseline for bench/run.sh: the book's reverb2 with exercises 8.4 (a WaitGroup per
// connection: close once the client has half-closed and every echo is out) and 8.8 (disconnect
// after -idle without a shout). Written for the benchmark, which never idles: on an idle
// disconnect the scanning goroutine may stay blocked on its channel, as in many 8.8 answers.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"time"
)

var (
	port  = flag.Int("port", 8000, "port")
	delay = flag.Duration("delay", time.Second, "delay between echo lines")
	idle  = flag.Duration("idle", 10*time.Second, "disconnect after this long without a shout")
)

func echo(c net.Conn, mu *sync.Mutex, shout string, wg *sync.WaitGroup) {
	defer wg.Done()
	for _, s := range []string{strings.ToUpper(shout), shout, strings.ToLower(shout)} {
		time.Sleep(*delay)
		mu.Lock()
		fmt.Fprintln(c, "\t", s)
		mu.Unlock()
	}
}

func handleConn(c net.Conn) {
	defer c.Close()
	var wg sync.WaitGroup
	var mu sync.Mutex
	lines := make(chan string)
	go func() {
		input := bufio.NewScanner(c)
		for input.Scan() {
			lines <- input.Text()
		}
		close(lines)
	}()
	timer := time.NewTimer(*idle)
	for {
		select {
		case shout, ok := <-lines:
			if !ok {
				wg.Wait()
				return
			}
			timer.Reset(*idle)
			wg.Add(1)
			go echo(c, &mu, shout, &wg)
		case <-timer.C:
			return
		}
	}
}

func main() {
	flag.Parse()
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("reverb listening on localhost:%d", l.Addr().(*net.TCPAddr).Port)
	for {
		conn, err := l.Accept()
		if err != nil {
			log.Print(err)
			continue
		}
		go handleConn(conn)
	}
}
