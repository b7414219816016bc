// Package lang picks the language people read storecheck's output in
// (zh-CN or en) and renders messages from catalogs of both: format strings
// keyed by a stable ID, with plural forms where a count needs them,
// through golang.org/x/text/message.
package lang

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// Tag is an output language storecheck speaks.
type Tag string

// The languages storecheck speaks.
const (
	ZH Tag = "zh-CN"
	EN Tag = "en"
)

// All are the languages every catalog entry must have, in catalog order.
var All = []Tag{ZH, EN}

// Parse reads a language as a user writes it: zh-CN, zh, zh_CN.UTF-8,
// zh-Hans for Chinese; en, en-US, en_GB.UTF-8 for English.
func Parse(s string) (Tag, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(v, ".@"); i >= 0 { // zh_CN.UTF-8, en_US@euro
		v = v[:i]
	}
	v = strings.ReplaceAll(v, "_", "-")
	switch {
	case v == "zh" || strings.HasPrefix(v, "zh-"):
		return ZH, nil
	case v == "en" || strings.HasPrefix(v, "en-"):
		return EN, nil
	}
	return "", fmt.Errorf("language %q: storecheck speaks zh-CN and en", s)
}

// FromEnv is the language of the locale getenv describes: the first of
// LC_ALL, LC_MESSAGES and LANG that is set decides, as for any program
// that reads the locale; zh* is zh-CN, anything else (C, POSIX, unset)
// en.
func FromEnv(getenv func(string) string) Tag {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			if t, err := Parse(v); err == nil && t == ZH {
				return ZH
			}
			return EN
		}
	}
	return EN
}

// Resolve is the language a command speaks: the --lang flag when given,
// else the config's lang, else the locale's.
func Resolve(flag, config string, getenv func(string) string) (Tag, error) {
	for _, v := range []string{flag, config} {
		if v != "" {
			return Parse(v)
		}
	}
	return FromEnv(getenv), nil
}

// language is t as x/text knows it.
func (t Tag) language() language.Tag {
	if t == ZH {
		return language.SimplifiedChinese
	}
	return language.English
}
