package slack

// ResetLimits forgets the rate limits' state, for benchmarks that measure the work
// rather than Slack's pace.
func (a *Adapter) ResetLimits() {
	a.limits.mu.Lock()
	defer a.limits.mu.Unlock()
	clear(a.limits.buckets)
	clear(a.limits.next)
	clear(a.limits.paused)
}
