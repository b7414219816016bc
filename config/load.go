package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// DefaultFile is the config file Load reads when no path is given and it
// exists in the working directory.
const DefaultFile = "storecheck.yaml"

// maxExpansion bounds how many more nodes than the file has bytes one load
// may walk, so aliases cannot blow a small file up into an enormous one.
const maxExpansion = 100_000

// source remembers where the values of a Config came from, so that errors
// found after loading still name the line or the flag.
type source struct {
	file  string            // the config file as the user named it
	lines map[string]int    // key path ("scope.include[2]") -> 1-based line
	flags map[string]string // key path -> the flag or argument that set it
}

func (s *source) clone() *source {
	n := &source{lines: map[string]int{}, flags: map[string]string{}}
	if s == nil {
		return n
	}
	n.file = s.file
	for k, v := range s.lines {
		n.lines[k] = v
	}
	for k, v := range s.flags {
		n.flags[k] = v
	}
	return n
}

// Load reads the config file at path over Defaults and validates the result.
// path "" means DefaultFile when it exists in the working directory, else
// defaults only. An empty file gives the defaults. Relative paths (db,
// brand.logo, brand.protected_logos) are made absolute against the file's
// folder, db also when the file does not set it; with no file, db stays
// "storecheck.db" in the working directory. Every error is a *Error.
func Load(path string) (Config, error) {
	if path == "" {
		_, err := os.Stat(DefaultFile)
		if errors.Is(err, fs.ErrNotExist) {
			return Defaults(), nil
		}
		path = DefaultFile
	}
	data, err := os.ReadFile(path)
	if err != nil {
		msg := err.Error()
		var pe *fs.PathError
		if errors.As(err, &pe) {
			msg = pe.Err.Error()
		}
		return Config{}, &Error{File: path, Msg: "cannot read config file: " + msg, Err: err}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return Config{}, &Error{File: path, Msg: err.Error(), Err: err}
	}
	return parse(path, abs, data)
}

// parse decodes data, the contents of the file the user named name (absolute
// path abs), over the defaults, and validates the result.
func parse(name, abs string, data []byte) (Config, error) {
	c := Defaults()
	c.FilePath = abs
	c.src = &source{file: name, lines: map[string]int{}, flags: map[string]string{}}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, syntaxError(name, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		if len(extra.Content) > 0 && !isNull(extra.Content[0]) {
			return Config{}, &Error{File: name, Line: extra.Line, Msg: "only one YAML document is allowed"}
		}
	case !errors.Is(err, io.EOF):
		return Config{}, syntaxError(name, err)
	}

	w := &walker{file: name, lines: c.src.lines, active: map[*yaml.Node]bool{}, budget: maxExpansion + len(data)}
	if len(doc.Content) > 0 {
		root := doc.Content[0]
		if r, err := w.deref(root, ""); err == nil && !isNull(r) && r.Kind != yaml.MappingNode {
			return Config{}, &Error{File: name, Line: r.Line, Msg: "want a mapping of keys at the top level, got " + describe(r)}
		}
		if err := w.value(root, reflect.ValueOf(&c).Elem(), ""); err != nil {
			return Config{}, err
		}
	}
	c.resolvePaths(filepath.Dir(abs))
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// resolvePaths makes the relative file paths absolute against dir, the
// config file's folder. That includes db when the file leaves it at its
// default, so that the effective config means the same wherever it is
// written down.
func (c *Config) resolvePaths(dir string) {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	// A PostgreSQL URL (postgres://…) is no path.
	if !strings.Contains(c.DB, "://") {
		c.DB = abs(c.DB)
	}
	c.Brand.Logo = abs(c.Brand.Logo)
	c.OCR.Tesseract = abs(c.OCR.Tesseract)
	for i, p := range c.Brand.ProtectedLogos {
		c.Brand.ProtectedLogos[i] = abs(p)
	}
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems start the messages of yaml.v3's parser (as opposed to its
// scanner) errors, whose "line N" is 0-based.
var parserProblems = []string{
	"did not find expected ",
	"found duplicate %",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// syntaxError turns a yaml.v3 parse error into a *Error with its line.
func syntaxError(file string, err error) *Error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		for _, p := range parserProblems {
			if strings.HasPrefix(m[2], p) {
				line++
				break
			}
		}
		return &Error{File: file, Line: line, Msg: "invalid YAML: " + m[2], Err: err}
	}
	return &Error{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: "), Err: err}
}

// walker decodes a yaml.Node into a Config field by field, guided by the
// struct's yaml tags, so that an unknown key or a value of the wrong type is
// reported with its key path and line, and every key's line is recorded.
type walker struct {
	file   string
	lines  map[string]int
	active map[*yaml.Node]bool // nodes being decoded: an alias back to one is a cycle
	budget int                 // nodes left to visit; a node takes at least a byte
}

var durationType = reflect.TypeFor[Duration]()

func (w *walker) errorf(n *yaml.Node, key, format string, args ...any) *Error {
	return &Error{File: w.file, Line: n.Line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

// deref follows an alias to the node it names.
func (w *walker) deref(n *yaml.Node, key string) (*yaml.Node, error) {
	for i := 0; n.Kind == yaml.AliasNode; i++ {
		if n.Alias == nil || i > 100 {
			return nil, w.errorf(n, key, "alias *%s names no node", n.Value)
		}
		n = n.Alias
	}
	return n, nil
}

// enter marks n as being decoded, failing on a cycle or when aliases have
// expanded the document past its budget; leave undoes it.
func (w *walker) enter(n *yaml.Node, key string) error {
	w.budget--
	if w.budget < 0 {
		return w.errorf(n, key, "document expands to too many nodes through aliases")
	}
	if w.active[n] {
		return w.errorf(n, key, "alias refers to a node that contains it")
	}
	w.active[n] = true
	return nil
}

func (w *walker) leave(n *yaml.Node) { delete(w.active, n) }

// value decodes n into v, whose key path is key. A null value keeps v as it
// is: a key without a value keeps its default.
func (w *walker) value(n *yaml.Node, v reflect.Value, key string) error {
	n, err := w.deref(n, key)
	if err != nil {
		return err
	}
	if isNull(n) {
		return nil
	}
	if err := w.enter(n, key); err != nil {
		return err
	}
	defer w.leave(n)

	if v.Type() == durationType {
		if n.Kind != yaml.ScalarNode {
			return w.errorf(n, key, "want a duration like \"30s\", got %s", describe(n))
		}
		d, err := ParseDuration(n.Value)
		if err != nil {
			return w.errorf(n, key, "%s", err.Error())
		}
		v.Set(reflect.ValueOf(d))
		return nil
	}
	switch v.Kind() {
	case reflect.Struct:
		return w.structure(n, v, key)
	case reflect.Slice:
		return w.sequence(n, v, key)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		if err := w.mapping(n, m, key); err != nil {
			return err
		}
		v.Set(m)
		return nil
	default:
		return w.scalar(n, v, key)
	}
}

// pairs splits a mapping node into its merge sources ("<<: *x", in the order
// of precedence: first wins) and its own key/value pairs.
func (w *walker) pairs(n *yaml.Node, key string) (merges []*yaml.Node, own [][2]*yaml.Node, err error) {
	if n.Kind != yaml.MappingNode {
		return nil, nil, w.errorf(n, key, "want a mapping, got %s", describe(n))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			src, err := w.deref(val, key)
			if err != nil {
				return nil, nil, err
			}
			if src.Kind == yaml.SequenceNode {
				merges = append(merges, src.Content...)
			} else {
				merges = append(merges, val)
			}
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return nil, nil, w.errorf(k, key, "a key must be a string, got %s", describe(k))
		}
		if first, dup := seen[k.Value]; dup {
			return nil, nil, w.errorf(k, join(key, k.Value), "given twice (first on line %d)", first)
		}
		seen[k.Value] = k.Line
		own = append(own, [2]*yaml.Node{k, val})
	}
	return merges, own, nil
}

// merge applies each merge source with fill, lowest precedence first, so
// that earlier sources, and then the mapping's own keys, win.
func (w *walker) merge(merges []*yaml.Node, key string, fill func(*yaml.Node) error) error {
	for i := len(merges) - 1; i >= 0; i-- {
		src, err := w.deref(merges[i], key)
		if err != nil {
			return err
		}
		if src.Kind != yaml.MappingNode {
			return w.errorf(merges[i], key, "a merge (<<) needs a mapping, got %s", describe(src))
		}
		if err := w.enter(src, key); err != nil {
			return err
		}
		err = fill(src)
		w.leave(src)
		if err != nil {
			return err
		}
	}
	return nil
}

// structure decodes a mapping into a struct, key by key.
func (w *walker) structure(n *yaml.Node, v reflect.Value, key string) error {
	merges, own, err := w.pairs(n, key)
	if err != nil {
		return err
	}
	if err := w.merge(merges, key, func(src *yaml.Node) error { return w.structure(src, v, key) }); err != nil {
		return err
	}
	fields := yamlFields(v.Type())
	for _, kv := range own {
		k, val := kv[0], kv[1]
		path := join(key, k.Value)
		i, ok := fields[k.Value]
		if !ok {
			e := &Error{File: w.file, Line: k.Line, Key: path, Err: ErrUnknownKey}
			if s := suggest(k.Value, fields); s != "" {
				e.Msg = fmt.Sprintf("(did you mean %q?)", join(key, s))
			}
			return e
		}
		w.lines[path] = k.Line
		if err := w.value(val, v.Field(i), path); err != nil {
			return err
		}
	}
	return nil
}

// mapping decodes a mapping into the map m (string keys).
func (w *walker) mapping(n *yaml.Node, m reflect.Value, key string) error {
	merges, own, err := w.pairs(n, key)
	if err != nil {
		return err
	}
	if err := w.merge(merges, key, func(src *yaml.Node) error { return w.mapping(src, m, key) }); err != nil {
		return err
	}
	for _, kv := range own {
		k, val := kv[0], kv[1]
		path := join(key, k.Value)
		w.lines[path] = k.Line
		elem := reflect.New(m.Type().Elem()).Elem()
		if err := w.value(val, elem, path); err != nil {
			return err
		}
		m.SetMapIndex(reflect.ValueOf(k.Value), elem)
	}
	return nil
}

// sequence decodes a list into a fresh slice, replacing the default.
func (w *walker) sequence(n *yaml.Node, v reflect.Value, key string) error {
	if n.Kind != yaml.SequenceNode {
		return w.errorf(n, key, "want a list, got %s", describe(n))
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, e := range n.Content {
		path := key + "[" + strconv.Itoa(i) + "]"
		w.lines[path] = e.Line
		if err := w.value(e, s.Index(i), path); err != nil {
			return err
		}
	}
	v.Set(s)
	return nil
}

// scalar decodes a string, number or bool.
func (w *walker) scalar(n *yaml.Node, v reflect.Value, key string) error {
	want := wantOf(v.Kind())
	if n.Kind != yaml.ScalarNode {
		return w.errorf(n, key, "want %s, got %s", want, describe(n))
	}
	if want == "an integer" && n.ShortTag() != "!!int" {
		// yaml.v3 would truncate 1.5 to 1.
		return w.errorf(n, key, "want %s, got %s", want, describe(n))
	}
	p := reflect.New(v.Type())
	if err := n.Decode(p.Interface()); err != nil {
		return w.errorf(n, key, "want %s, got %s", want, describe(n))
	}
	v.Set(p.Elem())
	return nil
}

func wantOf(k reflect.Kind) string {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	}
	return "a string"
}

// describe names what a node holds, for "want X, got Y".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return strconv.Quote(v)
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func join(key, name string) string {
	if key == "" {
		return name
	}
	return key + "." + name
}

// yamlFields maps a struct's yaml key names to field indexes; fields tagged
// "-" are not keys.
func yamlFields(t reflect.Type) map[string]int {
	m := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		m[name] = i
	}
	return m
}

// suggest returns the known key name was most likely meant as: one it is a
// prefix of ("lcp" for "lcp_ms"), or one within two edits that is not a
// rewrite of most of the name.
func suggest(name string, known map[string]int) string {
	best, bestD := "", 3
	for k := range known {
		d := editDistance(name, k)
		if len(name) >= 3 && strings.HasPrefix(k, name) {
			d = 1
		}
		if d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	if best == "" || bestD*2 >= len(name) {
		return ""
	}
	return best
}

// editDistance is the optimal-string-alignment distance between a and b, in
// bytes: insertions, deletions, substitutions and adjacent transpositions.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
