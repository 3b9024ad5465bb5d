package lists

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// A Deliverer says it is alive in delivery_worker every beatEvery. Rows
// leased by a worker whose beat is older than staleAfter may be leased
// again at once: after a crash (SIGKILL, a lost machine) the copies that
// process held go out within seconds, not when the lease runs out.
//
// "Never twice" rests on the other side of the bargain: a worker sends on
// a lease only while its own last successful beat began less than
// staleAfter-beatMargin ago, by its monotonic clock, and never again on a
// batch leased before a gap in its beats (gen). The margin covers the
// time a beat takes to commit and the skew between the clocks of two hum
// processes, which the beat times written by one and read by the other
// depend on; leases (claimed_until) already assumed clocks in step.
const (
	beatEvery  = time.Second
	staleAfter = 5 * time.Second
	beatMargin = 2 * time.Second
)

type heartbeat struct {
	d  *Deliverer
	id string

	mu   sync.Mutex
	last time.Time // when the last successful beat began (monotonic)
	gen  uint64    // bumped after a gap: leases taken before it may be lost
}

func newHeartbeat(d *Deliverer) *heartbeat {
	b := make([]byte, 8)
	rand.Read(b)
	return &heartbeat{d: d, id: hex.EncodeToString(b)}
}

// beat writes the worker's row. It is also the first registration.
func (h *heartbeat) beat(ctx context.Context) error {
	began := time.Now()
	now := h.d.Lists.DB.Now().UTC()
	_, err := h.d.Lists.DB.ExecContext(ctx, `INSERT INTO delivery_worker (id, started, beat) VALUES ($1, $2, $2)
		ON CONFLICT (id) DO UPDATE SET beat = $2`, h.id, now)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.last.IsZero() && began.Sub(h.last) >= staleAfter-beatMargin {
		h.gen++
	}
	h.last = began
	return nil
}

// current returns the generation to lease under, and whether leasing is
// safe now at all.
func (h *heartbeat) current() (uint64, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.gen, h.fresh()
}

// valid tells whether a batch leased under gen may still be sent.
func (h *heartbeat) valid(gen uint64) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.gen == gen && h.fresh()
}

func (h *heartbeat) fresh() bool {
	return !h.last.IsZero() && time.Since(h.last) < staleAfter-beatMargin
}

// run beats until ctx is done. A failed beat is logged and tried again at
// the next tick; meanwhile the workers stop sending on their own.
func (h *heartbeat) run(ctx context.Context) {
	t := time.NewTicker(beatEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := h.beat(ctx); err != nil && ctx.Err() == nil {
				h.d.Log.Warn("delivery heartbeat", "worker", h.id, "err", err)
			}
		}
	}
}

// stop hands back the rows this worker still holds and removes its row,
// once its workers are done; old rows of workers that died are swept too.
func (h *heartbeat) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	d := h.d.Lists.DB
	if _, err := d.ExecContext(ctx, `UPDATE delivery SET claimed_until = NULL, claimed_by = '' WHERE claimed_by = $1 AND state = 'queued'`, h.id); err != nil {
		h.d.Log.Warn("releasing leases", "worker", h.id, "err", err)
	}
	if _, err := d.ExecContext(ctx, `UPDATE delivery_chunk SET claimed_until = NULL, claimed_by = '' WHERE claimed_by = $1`, h.id); err != nil {
		h.d.Log.Warn("releasing the chunks leased", "worker", h.id, "err", err)
	}
	if _, err := d.ExecContext(ctx, `DELETE FROM delivery_worker WHERE id = $1 OR beat < $2`, h.id, d.Now().UTC().Add(-time.Hour)); err != nil {
		h.d.Log.Warn("removing the delivery worker", "worker", h.id, "err", err)
	}
}
