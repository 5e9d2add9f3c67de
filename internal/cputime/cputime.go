// Package cputime reads the CPU time the process has used, for the benchmarks
// whose figures are CPU per operation: on a shared machine CPU time does not
// grow with the time other processes hold the CPU, as wall time does.
package cputime

import "time"

// Now returns the CPU time this process has used so far, user and system, all
// threads, and false where the platform does not measure it.
func Now() (time.Duration, bool) { return now() }
