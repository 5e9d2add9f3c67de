package telegram

import (
	"context"
	"slices"
	"sync"
)

// orderer runs updates in the order of their chat, different chats in parallel,
// at most `workers` at once. Within a chat an update waits for every earlier one,
// except that two button presses of different people do not wait for each other:
// they are independent (each person's ballot or follow is their own), and a poll
// pressed by twenty people at once is then one group commit instead of twenty in a
// row. A person's own presses, and every press and message, keep their order.
type orderer struct {
	ctx context.Context // the adapter's Run context
	sem chan struct{}
	wg  sync.WaitGroup

	mu    sync.Mutex // guards chats
	chats map[string][]*job
}

// job is one update waiting for its turn, or running.
type job struct {
	chat, user string
	press      bool
	run        func(ctx context.Context) bool // reports whether the update was handled
	after      func(handled bool)             // runs when the job ended (may be nil)
	started    bool
	ok         bool          // set before done is closed
	done       chan struct{} // closed when the job ended
}

func newOrderer(ctx context.Context, workers int) *orderer {
	return &orderer{ctx: ctx, sem: make(chan struct{}, max(1, workers)), chats: map[string][]*job{}}
}

// submit queues j behind the updates of its chat.
func (o *orderer) submit(j *job) {
	j.done = make(chan struct{})
	o.mu.Lock()
	defer o.mu.Unlock()
	o.chats[j.chat] = append(o.chats[j.chat], j)
	o.startReady(j.chat)
}

// startReady starts the jobs of chat that wait for nothing. Called with mu held.
func (o *orderer) startReady(chat string) {
	q := o.chats[chat]
	for i, j := range q {
		if j.started || waits(q[:i], j) {
			continue
		}
		j.started = true
		o.wg.Go(func() { o.exec(j) })
	}
}

// waits reports whether j must wait for one of the earlier jobs of its chat.
func waits(earlier []*job, j *job) bool {
	for _, e := range earlier {
		if !(e.press && j.press && e.user != j.user) {
			return true
		}
	}
	return false
}

func (o *orderer) exec(j *job) {
	ok := false
	select {
	case o.sem <- struct{}{}:
		if o.ctx.Err() == nil {
			ok = j.run(o.ctx)
		}
		<-o.sem
	case <-o.ctx.Done():
	}
	o.mu.Lock()
	q := o.chats[j.chat]
	if i := slices.Index(q, j); i >= 0 {
		q = slices.Delete(q, i, i+1) // in place: the queue is only read under mu
	}
	if len(q) == 0 {
		delete(o.chats, j.chat)
	} else {
		o.chats[j.chat] = q
		o.startReady(j.chat)
	}
	o.mu.Unlock()
	if j.after != nil {
		j.after(ok)
	}
	j.ok = ok
	close(j.done)
}

// wait returns once every started job ended.
func (o *orderer) wait() { o.wg.Wait() }

// tracker is the getUpdates offset: Telegram forgets an update once getUpdates is
// called with a higher offset, so the offset only moves past an update once it,
// and every update before it, was handled. Updates handled out of order (other
// chats) wait for the earlier ones.
type tracker struct {
	mu      sync.Mutex    // guards the fields below
	next    int           // the offset: every update below it was handled
	order   []int         // updates taken and not yet below next, ascending
	done    map[int]bool  // which of order were handled
	changed chan struct{} // closed (and replaced) when an update ends
}

func newTracker() *tracker {
	return &tracker{done: map[int]bool{}, changed: make(chan struct{})}
}

// take records that update id is being handled; false when it already is, or was.
func (t *tracker) take(id int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if id < t.next {
		return false
	}
	if _, ok := t.done[id]; ok {
		return false
	}
	t.done[id] = false
	i := len(t.order)
	for i > 0 && t.order[i-1] > id {
		i--
	}
	t.order = append(t.order[:i], append([]int{id}, t.order[i:]...)...)
	return true
}

// end records that update id ended: handled (the offset may move past it) or not
// (shutting down: it stays for the next start, and so does everything after it).
func (t *tracker) end(id int, handled bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if handled {
		if _, ok := t.done[id]; ok {
			t.done[id] = true
		}
		for len(t.order) > 0 && t.done[t.order[0]] {
			t.next = t.order[0] + 1
			delete(t.done, t.order[0])
			t.order = t.order[1:]
		}
	}
	close(t.changed)
	t.changed = make(chan struct{})
}

// offset is the offset to ask getUpdates for.
func (t *tracker) offset() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.next
}

// busy returns how many updates were taken and are not below the offset yet
// (every getUpdates returns them again until they are), and a channel closed when
// one ends.
func (t *tracker) busy() (int, <-chan struct{}) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.order), t.changed
}
