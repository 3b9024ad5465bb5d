package web

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"hum/internal/fail"
)

// limiters hold token buckets per client address and action, so one
// client cannot guess passwords or flood addresses with mail. They are
// per process: behind a load balancer each process allows its share.
type limiters struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	l    *rate.Limiter
	seen time.Time
}

func newLimiters() *limiters { return &limiters{buckets: map[string]*bucket{}} }

// Per action: a steady rate and a burst.
var limitsFor = map[string]struct {
	every time.Duration
	burst int
}{
	"login":    {6 * time.Second, 10},  // 10 at once, then 10 a minute
	"register": {60 * time.Second, 5},  // 5 at once, then 1 a minute
	"reset":    {60 * time.Second, 5},  //
	"mail":     {60 * time.Second, 10}, // other mail-sending forms
}

// allow spends a token for action by key, or returns a RateLimited error.
func (l *limiters) allow(action, key string) error {
	spec := limitsFor[action]
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > 10*time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > time.Hour {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	k := action + "\x00" + key
	b, ok := l.buckets[k]
	if !ok {
		b = &bucket{l: rate.NewLimiter(rate.Every(spec.every), spec.burst)}
		l.buckets[k] = b
	}
	b.seen = now
	if !b.l.AllowN(now, 1) {
		return fail.New(fail.RateLimited, "Too many attempts from your address. Please wait a minute and try again.")
	}
	return nil
}

// clientIP is the peer address. hum does not trust X-Forwarded-For by
// default: a client could set it to dodge the limits.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return strings.TrimPrefix(host, "::ffff:")
}
