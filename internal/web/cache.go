package web

import (
	"context"
	"fmt"
	"sync"

	"hum/internal/record"
)

// cache keeps page models in memory. Every change to hum's state writes an
// event, so the newest event id is a version of the whole database: an
// entry is fresh while that id has not moved. One indexed MAX(id) query
// at most every 250 ms (record.Versions) replaces the dozen queries a
// group page needs, and it stays right with several processes on one
// PostgreSQL.
type cache struct {
	mu      sync.Mutex
	version int64
	entries map[string]any
}

func newCache() *cache { return &cache{entries: map[string]any{}} }

const maxEntries = 10_000

func (c *cache) get(ctx context.Context, vs *record.Versions, kind string, key any, load func() (any, error)) (any, error) {
	v, err := vs.Get(ctx)
	if err != nil {
		return nil, err
	}
	k := fmt.Sprint(kind, "\x00", key)
	c.mu.Lock()
	if v != c.version {
		c.version, c.entries = v, map[string]any{}
	}
	if e, ok := c.entries[k]; ok {
		c.mu.Unlock()
		return e, nil
	}
	c.mu.Unlock()
	e, err := load()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.version == v && len(c.entries) < maxEntries {
		c.entries[k] = e
	}
	c.mu.Unlock()
	return e, nil
}
