package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// sign signs a body as Slack does (v0).
func sign(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v0:" + ts + ":"))
	m.Write(body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}
