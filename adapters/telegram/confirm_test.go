package telegram

import "testing"

// TestMayComeBack checks which updates still need their answers recorded: those
// Telegram may send again, at or above the offset it last confirmed, and every
// webhook update.
func TestMayComeBack(t *testing.T) {
	a := &Adapter{cfg: Config{Mode: ModePolling}}
	if !a.mayComeBack(update{ID: 0}) || !a.mayComeBack(update{ID: 7}) {
		t.Fatal("nothing confirmed yet: every update may come back")
	}
	a.confirm(8)
	a.confirm(5) // an older poll's answer arriving late does not move it back
	for id, want := range map[int]bool{6: false, 7: false, 8: true, 9: true} {
		if got := a.mayComeBack(update{ID: id}); got != want {
			t.Errorf("confirmed up to 8: update %d may come back = %v, want %v", id, got, want)
		}
	}
	a.cfg.Mode = ModeWebhook
	if !a.mayComeBack(update{ID: 1}) {
		t.Error("a webhook update may always come back")
	}
}
