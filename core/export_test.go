package core

// SentQueued returns how many answer records wait for the next batch (tests).
func SentQueued(e *Engine) int {
	e.sent.mu.Lock()
	defer e.sent.mu.Unlock()
	return len(e.sent.keys)
}
