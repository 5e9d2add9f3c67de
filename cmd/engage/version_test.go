package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// Ensure `engage version` shows the version, VCS revision and time of the build
// info, the version set at build time first, and stays readable without build info.
func TestVersionLine(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2026-12-06T23:00:00Z"}, {Key: "vcs.modified", Value: "true"}}
	tests := []struct {
		name, set string
		info      *debug.BuildInfo
		ok        bool
		want      string
	}{
		{"Module", "dev", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}, Settings: vcs[:2]},
			true, "engage v1.4.0 (revision 0123abcd, 2026-12-06T23:00:00Z, go1.26.8)"},
		{"WorkTree", "dev", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			true, "engage dev (revision 0123abcd, 2026-12-06T23:00:00Z, modified, go1.26.8)"},
		{"Ldflags", "v2.0.0", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: vcs[:1]}, true, "engage v2.0.0 (revision 0123abcd)"},
		{"NoBuildInfo", "dev", nil, false, "engage dev"},
	}
	for _, tt := range tests {
		if got := versionLine(tt.set, tt.info, tt.ok); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	out, _, code := runEngage(t, "", nil, "version")
	if code != 0 || !strings.HasPrefix(out, "engage ") || !strings.Contains(out, "go1.") {
		t.Fatalf("engage version: exit %d, %q", code, out)
	}
}
