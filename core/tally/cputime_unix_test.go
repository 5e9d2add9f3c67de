//go:build unix

package tally_test

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time this process has used, user and system, all
// threads. Benchmarks report it per op beside wall time: on a shared machine
// it does not grow with the time other processes hold the CPU.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
