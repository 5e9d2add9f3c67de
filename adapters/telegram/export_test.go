package telegram

import "time"

// SetHandleBackoff shortens the waits between attempts at a failing update, for
// tests; it returns the function that restores them.
func SetHandleBackoff(d []time.Duration) (restore func()) {
	old := handleBackoff
	handleBackoff = d
	return func() { handleBackoff = old }
}
