package discord_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/discord"
	"github.com/engage-org/engage/adapters/discord/discordtest"
	"github.com/engage-org/engage/bots/botstest"
)

// signed posts body to url signed with priv at time ts.
func signed(t *testing.T, url string, priv ed25519.PrivateKey, ts time.Time, body []byte) (int, string) {
	t.Helper()
	stamp := strconv.FormatInt(ts.Unix(), 10)
	sig := ed25519.Sign(priv, append([]byte(stamp), body...))
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	req.Header.Set("X-Signature-Timestamp", stamp)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Ensure the interactions endpoint refuses what Discord did not sign, or signed
// too long ago, answers the PING, and answers interactions in its response.
func TestAdapter_HTTPInteractions(t *testing.T) {
	t.Parallel()
	pub, priv, _ := ed25519.GenerateKey(nil)
	fake := discordtest.New(t)
	h := start(t, fake, func(c *discord.Config, env *botstest.Env) {
		c.Mode, c.PublicKey = discord.ModeHTTP, hex.EncodeToString(pub)
	})
	srv := httptest.NewServer(h.ad)
	t.Cleanup(srv.Close)
	now := time.Now()
	ping := []byte(`{"id":"1","application_id":"` + fake.AppID + `","type":1,"token":"t","version":1}`)

	if code, body := signed(t, srv.URL, priv, now, ping); code != 200 || strings.TrimSpace(body) != `{"type":1}` {
		t.Fatalf("ping: got %d %s", code, body)
	}
	_, other, _ := ed25519.GenerateKey(nil)
	if code, _ := signed(t, srv.URL, other, now, ping); code != 401 {
		t.Fatalf("bad signature: got %d, want 401", code)
	}
	if code, _ := signed(t, srv.URL, priv, now.Add(-10*time.Minute), ping); code != 401 {
		t.Fatalf("stale timestamp: got %d, want 401", code)
	}
	if code, _ := signed(t, srv.URL, priv, now.Add(10*time.Minute), ping); code != 401 {
		t.Fatalf("timestamp from the future: got %d, want 401", code)
	}
	resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(ping))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("unsigned: got %d, want 401", resp.StatusCode)
	}
	// A tampered body with the original signature.
	stamp := strconv.FormatInt(now.Unix(), 10)
	sig := ed25519.Sign(priv, append([]byte(stamp), ping...))
	req, _ := http.NewRequest("POST", srv.URL, bytes.NewReader(bytes.Replace(ping, []byte(`"type":1`), []byte(`"type":2`), 1)))
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	req.Header.Set("X-Signature-Timestamp", stamp)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("tampered: got %d, want 401", resp.StatusCode)
	}

	raw, _ := fake.Payload(2, alice, here, map[string]any{"id": "1", "name": "community", "type": 1,
		"options": []discordtest.Opt{discordtest.Sub("create", discordtest.S("name", "Garden Club"), discordtest.S("lang", "en"))}}, "")
	code, body := signed(t, srv.URL, priv, now, raw)
	var got struct {
		Type int `json:"type"`
		Data struct {
			Content string `json:"content"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || code != 200 {
		t.Fatalf("got %d %s", code, body)
	}
	if got.Type != 4 || !strings.Contains(got.Data.Content, "Garden Club") {
		t.Fatalf("got %+v", got)
	}
	if n := len(h.env.Snapshot().Communities); n != 1 {
		t.Fatalf("got %d communities", n)
	}
	// A modal opens in the response too.
	raw, _ = fake.Payload(2, alice, here, map[string]any{"id": "1", "name": "project", "type": 1,
		"options": []discordtest.Opt{discordtest.Sub("new", discordtest.S("title", "Garden"))}}, "")
	signed(t, srv.URL, priv, now, raw)
	raw, _ = fake.Payload(2, alice, here, map[string]any{"id": "1", "name": "news", "type": 1,
		"options": []discordtest.Opt{discordtest.S("id", "P1")}}, "")
	code, body = signed(t, srv.URL, priv, now, raw)
	if code != 200 || !strings.Contains(body, `"type":9`) || !strings.Contains(body, `"custom_id":"f:`) {
		t.Fatalf("got %d %s, want a modal", code, body)
	}
}

// Ensure a signed interaction is taken once within the timestamp window: the same
// request again, its signature in lower, upper or mixed case hex, is refused (401)
// and changes nothing.
func TestAdapter_HTTPReplay(t *testing.T) {
	t.Parallel()
	pub, priv, _ := ed25519.GenerateKey(nil)
	fake := discordtest.New(t)
	h := start(t, fake, func(c *discord.Config, env *botstest.Env) {
		c.Mode, c.PublicKey = discord.ModeHTTP, hex.EncodeToString(pub)
	})
	srv := httptest.NewServer(h.ad)
	t.Cleanup(srv.Close)
	now := time.Now()
	raw, _ := fake.Payload(2, alice, here, map[string]any{"id": "1", "name": "community", "type": 1,
		"options": []discordtest.Opt{discordtest.Sub("create", discordtest.S("name", "Garden Club"), discordtest.S("lang", "en"))}}, "")
	stamp := strconv.FormatInt(now.Unix(), 10)
	sig := hex.EncodeToString(ed25519.Sign(priv, append([]byte(stamp), raw...)))
	mixed := []byte(sig)
	for i := range mixed {
		if i%3 == 0 {
			mixed[i] = strings.ToUpper(string(mixed[i]))[0]
		}
	}
	send := func(sig string) int {
		req, _ := http.NewRequest("POST", srv.URL, bytes.NewReader(raw))
		req.Header.Set("X-Signature-Ed25519", sig)
		req.Header.Set("X-Signature-Timestamp", stamp)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := send(sig); code != 200 {
		t.Fatalf("original: got %d", code)
	}
	for _, again := range []string{sig, strings.ToUpper(sig), string(mixed)} {
		if code := send(again); code != 401 {
			t.Errorf("replay %q: got %d, want 401", again[:8], code)
		}
	}
	// The same body signed at another second is another request (Discord does not
	// send one, but the guard is not keyed on the body alone).
	if code, _ := signed(t, srv.URL, priv, now.Add(-time.Second), raw); code == 401 {
		t.Errorf("another timestamp: got 401")
	}
	if n := len(h.env.Snapshot().Communities); n != 1 {
		t.Fatalf("got %d communities", n)
	}
}
