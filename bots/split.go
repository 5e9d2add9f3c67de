package bots

import "unicode/utf8"

// The message size limits of the known platforms, in characters: Telegram's 4096,
// Discord's 2000, and for Slack the 4000 its documentation recommends (the API
// truncates at 40 000). Other platforms get DefaultMessageLen.
const (
	DefaultMessageLen  = 4000
	telegramMessageLen = 4096
	discordMessageLen  = 2000
	slackMessageLen    = 4000
)

// MaxMessageLen returns how many characters one message may hold on platform.
func MaxMessageLen(platform string) int {
	switch platform {
	case PlatformTelegram:
		return telegramMessageLen
	case PlatformDiscord:
		return discordMessageLen
	case PlatformSlack:
		return slackMessageLen
	}
	return DefaultMessageLen
}

// splitText cuts text into parts of at most limit characters, between lines where
// it can, inside a line (at a space if there is one) only when the line alone is too
// long.
func splitText(text string, limit int) []string {
	if limit <= 0 || utf8.RuneCountInString(text) <= limit {
		return []string{text}
	}
	var parts []string
	var cur []rune
	flush := func() {
		for len(cur) > 0 && (cur[len(cur)-1] == '\n' || cur[len(cur)-1] == ' ') {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			parts = append(parts, string(cur))
		}
		cur = cur[:0]
	}
	for _, line := range splitKeep(text) {
		r := []rune(line)
		if len(cur)+len(r) <= limit {
			cur = append(cur, r...)
			continue
		}
		flush()
		for len(r) > limit { // one line longer than a message: cut it at a space if there is one
			cutAt := limit
			for i := limit; i > limit/2; i-- {
				if r[i-1] == ' ' {
					cutAt = i
					break
				}
			}
			cur = append(cur, r[:cutAt]...)
			flush()
			r = r[cutAt:]
		}
		cur = append(cur, r...)
	}
	flush()
	return parts
}

// splitKeep splits s after each newline, keeping the newlines.
func splitKeep(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
