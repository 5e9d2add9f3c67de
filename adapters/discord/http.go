package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// maxBody bounds an interaction's payload.
const maxBody = 1 << 20

// ServeHTTP is the interactions endpoint (http mode, at Route): it checks the
// Ed25519 signature of X-Signature-Timestamp + body against the application's
// public key and refuses (401) a bad signature or a timestamp further than MaxSkew
// from now or a request already taken within that window (a replay), answers PING, and answers every other interaction in the HTTP response
// within DeferAfter (deferred when the bot takes longer; follow-ups then go by REST).
func (a *Adapter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a.pub == nil {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "payload too large", http.StatusRequestEntityTooLarge)
		return
	}
	ts := r.Header.Get("X-Signature-Timestamp")
	at, ok := a.verify(r.Header.Get("X-Signature-Ed25519"), ts, body)
	if !ok {
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	// A request signed once is taken once within the timestamp window, however
	// its signature is written (it is known by the timestamp and the body).
	if !a.replay.First(ts, at, body) {
		a.log.Warn("discord request replayed", "remote", r.RemoteAddr)
		http.Error(w, "replayed request", http.StatusUnauthorized)
		return
	}
	in, err := decodeInteraction(body, a.cfg.Now())
	if err != nil {
		http.Error(w, "bad interaction", http.StatusBadRequest)
		return
	}
	// Stored before it is handled and answered: a crash from here on loses
	// nothing (the next start handles it, and answers by REST).
	if !a.keepInteraction(r.Context(), in, body) {
		a.replay.Forget(ts, body) // Discord may send it again
		http.Error(w, "not stored", http.StatusServiceUnavailable)
		return
	}
	type initial struct {
		resp  any
		files []*discordgo.File
	}
	first := make(chan initial, 1)
	gone := make(chan struct{})
	defer close(gone)
	respond := func(ctx context.Context, resp any, files []*discordgo.File) error {
		select {
		case first <- initial{resp, files}:
			return nil
		case <-gone:
			return errors.New("the interaction's HTTP request is gone")
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	a.wg.Go(func() { a.interact(in, respond) })
	var got initial
	select {
	case got = <-first:
	case <-r.Context().Done():
		return
	}
	if len(got.files) > 0 {
		ct, raw, err := discordgo.MultipartBodyWithJSON(got.resp, got.files)
		if err != nil {
			http.Error(w, "encode response", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", ct)
		_, _ = w.Write(raw)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(got.resp)
}

// verify checks a request's signature and the freshness of its timestamp, and
// returns the timestamp.
func (a *Adapter) verify(sigHex, ts string, body []byte) (time.Time, bool) {
	sig, err := hex.DecodeString(sigHex)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return time.Time{}, false
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	at := time.Unix(secs, 0)
	skew := a.cfg.Now().Sub(at)
	if skew > a.cfg.MaxSkew || skew < -a.cfg.MaxSkew {
		return time.Time{}, false
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	return at, ed25519.Verify(a.pub, msg, sig)
}
