package config

import (
	"errors"
	"strconv"
	"strings"
)

// ErrUnknownKey is wrapped by the *Error for a key the contract does not know.
var ErrUnknownKey = errors.New("unknown key")

// Error is a usage or configuration error: a bad key in a config file, a bad
// flag, or an unreadable config file. The sweep command maps it to exit 2.
type Error struct {
	File string // the config file as the user named it; "" for flags
	Line int    // 1-based line in File; 0 when unknown
	// Key is the dotted key path ("scope.max_pages", "cookies[1].name"), or
	// the flag ("--concurrency"), or ArgURL; "" for the whole file.
	Key string
	Msg string
	Err error // what caused it, if anything (ErrUnknownKey, an *fs.PathError)
}

// Error formats e as "FILE:LINE: key "KEY": MSG", leaving out the parts that
// are empty; a flag is named bare ("--concurrency: MSG"), and an unknown key
// reads `unknown key "KEY"`.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		b.WriteString("line " + strconv.Itoa(e.Line) + ": ")
	}
	switch {
	case errors.Is(e.Err, ErrUnknownKey):
		b.WriteString("unknown key " + strconv.Quote(e.Key))
		if e.Msg != "" {
			b.WriteString(" " + e.Msg)
		}
		return b.String()
	case e.Key == "":
	case strings.HasPrefix(e.Key, "-") || e.Key == ArgURL:
		b.WriteString(e.Key + ": ")
	default:
		b.WriteString("key " + strconv.Quote(e.Key) + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
