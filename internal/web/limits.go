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
	// Wrong passwords for one address from one client. Only failures
	// spend it, and only the client that failed is held back: a limit on
	// the address alone would let anyone lock its owner out.
	// Below "login", which every attempt spends, so that it can bite.
	"login-failure": {12 * time.Second, 5},
}

// allow spends a token for action by key, or returns a RateLimited error.
func (l *limiters) allow(action, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.bucket(action, key).AllowN(time.Now(), 1) {
		return errLimited
	}
	return nil
}

// check returns a RateLimited error if action by key has no token left,
// without spending one: for limits that only failures spend.
func (l *limiters) check(action, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bucket(action, key).TokensAt(time.Now()) < 1 {
		return errLimited
	}
	return nil
}

// failed spends a token of a limit that check guards.
func (l *limiters) failed(action, key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bucket(action, key).AllowN(time.Now(), 1)
}

var errLimited = fail.New(fail.RateLimited, "Too many attempts from your address. Please wait a minute and try again.")

// bucket finds or makes the bucket of action by key; l.mu is held.
func (l *limiters) bucket(action, key string) *rate.Limiter {
	spec := limitsFor[action]
	now := time.Now()
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
	return b.l
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
