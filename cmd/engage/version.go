package main

import (
	"runtime/debug"
	"strings"
)

// versionLine is what `engage version` prints: the version (set with -ldflags, else
// the module's), then the VCS revision and its time from the build info, and
// "modified" when the work tree had changes; "engage dev" when the binary carries
// no build info.
func versionLine(set string, info *debug.BuildInfo, ok bool) string {
	v := set
	var details []string
	if ok && info != nil {
		if v == "" || v == "dev" {
			if mv := info.Main.Version; mv != "" && mv != "(devel)" { // (devel): built from a work tree
				v = mv
			}
		}
		var rev, at string
		modified := false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" {
			details = append(details, "revision "+rev)
		}
		if at != "" {
			details = append(details, at)
		}
		if modified {
			details = append(details, "modified")
		}
		if info.GoVersion != "" {
			details = append(details, info.GoVersion)
		}
	}
	if v == "" {
		v = "dev"
	}
	line := "engage " + v
	if len(details) > 0 {
		line += " (" + strings.Join(details, ", ") + ")"
	}
	return line
}
