package lang

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"sync"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
	"gopkg.in/yaml.v3"
)

// Catalog holds messages in every language of All, loaded from YAML files
// of the form
//
//	price.missing:
//	  zh-CN: 商品页没有顾客看得到的价格。
//	  en: The product page shows no price a shopper can read.
//	page.broken-links:
//	  zh-CN: 页面有 %d 个失效链接。
//	  en: {plural: 1, one: "The page has %d broken link.", other: "The page has %d broken links."}
//
// A text is a fmt format; plural picks a form by the count in that
// argument (1-based), as golang.org/x/text/feature/plural does. A Catalog
// is read-only once loaded and safe for concurrent use.
//
// Numbers are printed the language's way: %d and %f group digits (2,026 in
// English). Pass years, sizes and identifiers as strings.
type Catalog struct {
	texts    map[string]map[Tag]text
	printers map[Tag]*message.Printer
}

// text is one message in one language.
type text struct {
	Plain string
	// Plural: the argument that selects, and the forms (one, other).
	Arg        int
	One, Other string
}

// format is the text's general form: the plain text, or the plural's
// other form, which must use every argument.
func (t text) format() string {
	if t.Other != "" {
		return t.Other
	}
	return t.Plain
}

// Load reads every file of fsys matching pattern (path.Match syntax) into
// one catalog. Every message must have a text in each language of All,
// with the same arguments (verbs and argument numbers; %[2]s may reorder
// them), and no key may be in two files.
func Load(fsys fs.FS, pattern string) (*Catalog, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, fmt.Errorf("messages %s: %w", pattern, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("messages %s: no files", pattern)
	}
	c := &Catalog{texts: map[string]map[Tag]text{}}
	for _, name := range names {
		if err := c.loadFile(fsys, name); err != nil {
			return nil, err
		}
	}
	b := catalog.NewBuilder(catalog.Fallback(EN.language()))
	for key, byTag := range c.texts {
		for tag, t := range byTag {
			var err error
			if t.Other != "" {
				err = b.Set(tag.language(), key, plural.Selectf(t.Arg, "", "one", t.One, "other", t.Other))
			} else {
				err = b.SetString(tag.language(), key, t.Plain)
			}
			if err != nil {
				return nil, fmt.Errorf("message %s (%s): %w", key, tag, err)
			}
		}
	}
	c.printers = map[Tag]*message.Printer{}
	for _, tag := range All {
		c.printers[tag] = message.NewPrinter(tag.language(), message.Catalog(b))
	}
	return c, nil
}

func (c *Catalog) loadFile(fsys fs.FS, name string) error {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("messages: %w", err)
	}
	var doc map[string]map[string]yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("messages %s: %w", path.Base(name), err)
	}
	for key, byLang := range doc {
		if _, dup := c.texts[key]; dup {
			return fmt.Errorf("messages %s: %s is defined twice", path.Base(name), key)
		}
		texts := map[Tag]text{}
		for l, node := range byLang {
			tag, err := Parse(l)
			if err != nil || string(tag) != l {
				return fmt.Errorf("messages %s: %s: language %q is not one of zh-CN, en", path.Base(name), key, l)
			}
			t, err := decodeText(&node)
			if err != nil {
				return fmt.Errorf("messages %s: %s (%s): %w", path.Base(name), key, l, err)
			}
			texts[tag] = t
		}
		if err := consistent(texts); err != nil {
			return fmt.Errorf("messages %s: %s: %w", path.Base(name), key, err)
		}
		c.texts[key] = texts
	}
	return nil
}

func decodeText(n *yaml.Node) (text, error) {
	if n.Kind == yaml.ScalarNode {
		if n.Value == "" {
			return text{}, fmt.Errorf("empty text")
		}
		return text{Plain: n.Value}, nil
	}
	var p struct {
		Plural     int    `yaml:"plural"`
		One, Other string `yaml:",omitempty"`
	}
	if err := n.Decode(&p); err != nil {
		return text{}, err
	}
	if p.Plural < 1 || p.One == "" || p.Other == "" {
		return text{}, fmt.Errorf("want a text, or plural (the argument, from 1), one and other")
	}
	return text{Arg: p.Plural, One: p.One, Other: p.Other}, nil
}

// verbRE matches a fmt verb with its flags, width, precision and argument
// index, which fmt takes before the flags (%[2]d) or right before the verb
// (%.1[2]f).
var verbRE = regexp.MustCompile(`%(\[(\d+)\])?[-+# 0]*(\*|\d+)?(\.(\*|\d+))?(\[(\d+)\])?([a-zA-Z%])`)

// verbs lists the arguments a format uses, as "argument:verb", sorted.
func verbs(format string) []string {
	var out []string
	next := 1
	for _, m := range verbRE.FindAllStringSubmatch(format, -1) {
		if m[8] == "%" {
			continue
		}
		arg := next
		if idx := cmp.Or(m[7], m[2]); idx != "" {
			arg, _ = strconv.Atoi(idx)
		}
		out = append(out, fmt.Sprintf("%d:%s", arg, m[8]))
		next = arg + 1
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// consistent: every language of All has a text, using the same arguments
// with the same verbs as the English one.
func consistent(texts map[Tag]text) error {
	want := verbs(texts[EN].format())
	for _, tag := range All {
		t, ok := texts[tag]
		if !ok {
			return fmt.Errorf("no %s text", tag)
		}
		if got := verbs(t.format()); !slices.Equal(got, want) {
			return fmt.Errorf("%s uses arguments %v, en %v", tag, got, want)
		}
		if t.Arg > 0 && !slices.Contains(want, fmt.Sprintf("%d:d", t.Arg)) {
			return fmt.Errorf("%s: plural on argument %d, which is not a %%d", tag, t.Arg)
		}
	}
	return nil
}

// Has reports whether key is in the catalog.
func (c *Catalog) Has(key string) bool {
	_, ok := c.texts[key]
	return ok
}

// Keys lists the catalog's keys, sorted.
func (c *Catalog) Keys() []string {
	out := make([]string, 0, len(c.texts))
	for k := range c.texts {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Sprintf renders key in tag with args. A key the catalog lacks renders as
// the key and its arguments, visibly: tests hold every key used to the
// catalog.
func (c *Catalog) Sprintf(tag Tag, key string, args ...any) string {
	p, ok := c.printers[tag]
	if !ok || !c.Has(key) {
		return fmt.Sprint(append([]any{key}, args...)...)
	}
	return p.Sprintf(key, args...)
}

// Compiled is the catalog of files compiled into the binary (go:embed),
// loaded on first use and kept: such a catalog cannot fail at run time
// without failing every test that renders it first, so a load error
// panics.
func Compiled(fsys fs.FS, pattern string) func() *Catalog {
	return sync.OnceValue(func() *Catalog {
		c, err := Load(fsys, pattern)
		if err != nil {
			panic(err)
		}
		return c
	})
}
