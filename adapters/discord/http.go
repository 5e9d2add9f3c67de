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
// from now, answers PING, and answers every other interaction in the HTTP response
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
	if !a.verify(r.Header.Get("X-Signature-Ed25519"), r.Header.Get("X-Signature-Timestamp"), body) {
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	in, err := decodeInteraction(body, a.cfg.Now())
	if err != nil {
		http.Error(w, "bad interaction", http.StatusBadRequest)
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

// verify checks a request's signature and the freshness of its timestamp.
func (a *Adapter) verify(sigHex, ts string, body []byte) bool {
	sig, err := hex.DecodeString(sigHex)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return false
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	skew := a.cfg.Now().Sub(time.Unix(secs, 0))
	if skew > a.cfg.MaxSkew || skew < -a.cfg.MaxSkew {
		return false
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	return ed25519.Verify(a.pub, msg, sig)
}
