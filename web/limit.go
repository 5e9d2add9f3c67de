package web

import (
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter holds one token bucket per client address.
type limiter struct {
	mu      sync.Mutex
	rate    rate.Limit
	burst   int
	clients map[string]*client
	swept   time.Time
}

type client struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxClients bounds the addresses remembered; past it, those idle for a minute
// are forgotten.
const maxClients = 10000

func (l *limiter) allow(addr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	c := l.clients[addr]
	if c == nil {
		if len(l.clients) >= maxClients && now.Sub(l.swept) > time.Second {
			l.swept = now
			for a, c := range l.clients {
				if now.Sub(c.seen) > time.Minute {
					delete(l.clients, a)
				}
			}
		}
		c = &client{lim: rate.NewLimiter(l.rate, l.burst)}
		l.clients[addr] = c
	}
	c.seen = now
	return c.lim.AllowN(now, 1)
}

// clientAddr is the request's remote address without its port. Requests relayed
// by a proxy all share the proxy's address: put the limit in the proxy then.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
