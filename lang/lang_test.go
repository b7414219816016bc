package lang

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Tag
		err  bool
	}{
		{"zh-CN", ZH, false}, {"zh", ZH, false}, {"zh_CN.UTF-8", ZH, false}, {"zh-Hans", ZH, false},
		{"en", EN, false}, {"en_US.UTF-8", EN, false}, {"EN-gb", EN, false},
		{"fr", "", true}, {"", "", true}, {"zhx", "", true},
	} {
		got, err := Parse(tc.in)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("Parse(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want Tag
	}{
		{nil, EN},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, ZH},
		{map[string]string{"LANG": "C.UTF-8"}, EN},
		{map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, EN},
		{map[string]string{"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, ZH},
		{map[string]string{"LC_ALL": "C", "LC_MESSAGES": "zh_CN.UTF-8"}, EN},
	} {
		if got := FromEnv(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("FromEnv(%v) = %q, want %q", tc.env, got, tc.want)
		}
	}
}

func TestResolve(t *testing.T) {
	zhEnv := func(k string) string { return map[string]string{"LANG": "zh_CN.UTF-8"}[k] }
	for _, tc := range []struct {
		flag, config string
		want         Tag
		err          bool
	}{
		{"", "", ZH, false},
		{"", "en", EN, false},
		{"en", "zh-CN", EN, false},
		{"de", "", "", true},
	} {
		got, err := Resolve(tc.flag, tc.config, zhEnv)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("Resolve(%q, %q) = %q, %v; want %q, error %v", tc.flag, tc.config, got, err, tc.want, tc.err)
		}
	}
}

func TestCatalog(t *testing.T) {
	fsys := fstest.MapFS{
		"m/a.yaml": {Data: []byte(`
page.links:
  zh-CN: 页面有 %d 个失效链接：%s。
  en: {plural: 1, one: "The page has %d broken link: %s.", other: "The page has %d broken links: %s."}
price.order:
  zh-CN: 划线价 %[2]s 不高于现价 %[1]s。
  en: The original price %[2]s is not above the current price %[1]s.
`)},
		"m/b.yaml": {Data: []byte(`
price.pct:
  zh-CN: 折扣 %.1f%%
  en: discount %.1f%%
price.share:
  zh-CN: 占原价 %.1[2]f%%（%[1]s）
  en: "%s: %.1f%% of the original"
`)},
	}
	c, err := Load(fsys, "m/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		tag  Tag
		key  string
		args []any
		want string
	}{
		{EN, "page.links", []any{1, "/a"}, "The page has 1 broken link: /a."},
		{EN, "page.links", []any{3, "/a"}, "The page has 3 broken links: /a."},
		{ZH, "page.links", []any{3, "/a"}, "页面有 3 个失效链接：/a。"},
		{ZH, "price.order", []any{"¥99", "¥129"}, "划线价 ¥129 不高于现价 ¥99。"},
		{EN, "price.pct", []any{12.5}, "discount 12.5%"},
		{EN, "no.such", []any{1}, "no.such1"},
		{ZH, "price.share", []any{"¥80", 80.0}, "占原价 80.0%（¥80）"},
	} {
		if got := c.Sprintf(tc.tag, tc.key, tc.args...); got != tc.want {
			t.Errorf("%s %s %v: %q, want %q", tc.tag, tc.key, tc.args, got, tc.want)
		}
	}
	if got := strings.Join(c.Keys(), " "); got != "page.links price.order price.pct price.share" {
		t.Errorf("keys %q", got)
	}
}

func TestCatalogRejects(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"missing language", "k:\n  en: hello\n", "no zh-CN text"},
		{"other verbs", "k:\n  en: \"%d pages\"\n  zh-CN: \"%s 页\"\n", "uses arguments"},
		{"missing argument", "k:\n  en: \"%d of %d\"\n  zh-CN: \"%d\"\n", "uses arguments"},
		{"unknown language", "k:\n  en: a\n  zh-CN: b\n  fr: c\n", "language \"fr\""},
		{"plural without forms", "k:\n  en: {plural: 1, one: \"%d x\"}\n  zh-CN: \"%d\"\n", "want a text"},
		{"plural on a string", "k:\n  en: {plural: 1, one: \"%s x\", other: \"%s xs\"}\n  zh-CN: \"%s\"\n", "not a %d"},
		{"empty", "k:\n  en: \"\"\n  zh-CN: b\n", "empty text"},
	} {
		_, err := Load(fstest.MapFS{"a.yaml": {Data: []byte(tc.yaml)}}, "*.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
	}
	twice := fstest.MapFS{"a.yaml": {Data: []byte("k:\n  en: a\n  zh-CN: b\n")}, "b.yaml": {Data: []byte("k:\n  en: a\n  zh-CN: b\n")}}
	if _, err := Load(twice, "*.yaml"); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("a key in two files: error %v", err)
	}
}
