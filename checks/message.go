package checks

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/storecheck/storecheck/lang"
)

// Msg is a finding's message before it is put into words: a key of the
// rules' catalog (checks/messages/*.yaml, the texts in zh-CN and en) and
// the arguments its texts format. Arguments are strings, integers (int64)
// and floats (float64), the kinds that survive the store.
type Msg struct {
	Key  string
	Args []any
	// More are further sentences of the message, each rendered after the
	// first the way the language joins sentences (a space in English,
	// nothing in Chinese): for merges of parts too many to give every
	// combination a key.
	More []Msg
}

// M is the message key with args; other integer and float kinds become
// int64 and float64, anything else its fmt.Sprint text.
func M(key string, args ...any) Msg {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string, int64, float64:
			out[i] = v
		case int:
			out[i] = int64(v)
		case int32:
			out[i] = int64(v)
		case uint32:
			out[i] = int64(v)
		case uint64:
			out[i] = int64(v)
		case float32:
			out[i] = float64(v)
		default:
			out[i] = fmt.Sprint(v)
		}
	}
	return Msg{Key: key, Args: out}
}

// Render is m in tag's words.
func (m Msg) Render(tag lang.Tag) string {
	out := Messages().Sprintf(tag, m.Key, m.Args...)
	sep := " "
	if tag == lang.ZH {
		sep = ""
	}
	for _, more := range m.More {
		out += sep + more.Render(tag)
	}
	return out
}

// arg is one argument as stored: exactly one field set.
type arg struct {
	S *string  `json:"s,omitempty"`
	I *int64   `json:"i,omitempty"`
	F *float64 `json:"f,omitempty"`
}

// stored is a message with further sentences as the store keeps it.
type stored struct {
	Args []arg   `json:"args"`
	More []moreJ `json:"more"`
}

type moreJ struct {
	Key  string `json:"key"`
	Args []arg  `json:"args"`
}

// ArgsJSON is m's arguments as the store keeps them: each with its kind,
// so that 2.0 comes back a float for %.1f and 2 an integer for %d. A
// message with further sentences (More) is an object holding them too.
func (m Msg) ArgsJSON() string {
	if len(m.More) == 0 {
		b, _ := json.Marshal(encodeArgs(m.Args)) // strings and numbers always marshal
		return string(b)
	}
	st := stored{Args: encodeArgs(m.Args)}
	for _, more := range m.More {
		st.More = append(st.More, moreJ{Key: more.Key, Args: encodeArgs(more.Args)})
	}
	b, _ := json.Marshal(st)
	return string(b)
}

func encodeArgs(args []any) []arg {
	as := make([]arg, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			as[i].S = &v
		case int64:
			as[i].I = &v
		case float64:
			as[i].F = &v
		default:
			s := fmt.Sprint(v)
			as[i].S = &s
		}
	}
	return as
}

// ParseMsg is the message of key with arguments stored by ArgsJSON.
func ParseMsg(key, args string) (Msg, error) {
	if args == "" {
		return Msg{Key: key}, nil
	}
	var st stored
	dec := json.NewDecoder(bytes.NewReader([]byte(args)))
	dec.DisallowUnknownFields()
	var err error
	if strings.HasPrefix(args, "{") {
		err = dec.Decode(&st)
	} else {
		err = dec.Decode(&st.Args)
	}
	if err != nil {
		return Msg{}, fmt.Errorf("message %s arguments: %w", key, err)
	}
	m, err := decodeArgs(key, st.Args)
	if err != nil {
		return Msg{}, err
	}
	for _, more := range st.More {
		mm, err := decodeArgs(more.Key, more.Args)
		if err != nil {
			return Msg{}, err
		}
		m.More = append(m.More, mm)
	}
	return m, nil
}

func decodeArgs(key string, as []arg) (Msg, error) {
	m := Msg{Key: key}
	for _, a := range as {
		switch {
		case a.S != nil:
			m.Args = append(m.Args, *a.S)
		case a.I != nil:
			m.Args = append(m.Args, *a.I)
		case a.F != nil:
			m.Args = append(m.Args, *a.F)
		default:
			return Msg{}, fmt.Errorf("message %s arguments: an argument of no kind", key)
		}
	}
	return m, nil
}

//go:embed messages/*.yaml
var messageFiles embed.FS

// Messages is the catalog of every rule's messages and advice
// (TestMessages loads it).
var Messages = lang.Compiled(messageFiles, "messages/*.yaml")

// Localize renders the message of each finding that has a key in tag's
// words; a finding stored without one keeps its Message.
func Localize(fs []Finding, tag lang.Tag) {
	for i := range fs {
		if fs[i].Msg.Key != "" {
			fs[i].Message = fs[i].Msg.Render(tag)
		}
	}
}

// Advice is what to change to fix a finding of rule, in tag's words (the
// catalog's advice.<rule>).
func Advice(rule string, tag lang.Tag) string {
	return Messages().Sprintf(tag, "advice."+rule)
}
