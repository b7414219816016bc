package checks

import (
	"bytes"
	"fmt"
	"image"
	"os"
	"regexp"
	"runtime"
	"sync"
	"time"

	"github.com/storecheck/storecheck/checks/adlaw"
	"github.com/storecheck/storecheck/checks/logomatch"
	"github.com/storecheck/storecheck/config"
)

// Env is what every check may read besides the page: the configuration, the
// sweep's pinned clock (checks never call time.Now), the brand's decoded
// reference logos and the sweep's cache of image measures. Build it with
// NewEnv; a bare Env{Config, Now} works too (no logo rules, no cache).
type Env struct {
	Config *config.Config
	Now    time.Time
	// Brand holds the prepared reference logos; nil when the config names
	// none, which disables the logo rules.
	Brand *Brand
	// Measures caches pixel measures by image content for the whole sweep,
	// and bounds how many run at once; nil measures every time.
	Measures *MeasureCache
	// Prices collects product and card prices for price.inconsistent; nil
	// disables that rule.
	Prices *PriceLedger
	// PriceHistory is the lowest current price each product page URL showed
	// in the stored runs of the target of the 7 days before Now, loaded by
	// the sweep before it starts (checks never query the database); nil or
	// empty disables price.reference-suspect.
	PriceHistory map[string]float64

	// banned is the banned-term list built from Config, once (bannedList).
	bannedOnce sync.Once
	banned     *adlaw.List

	// products are the compiled product_pages patterns, once (productPages).
	productsOnce sync.Once
	products     []*regexp.Regexp
}

// productPages are the configured product_pages patterns, compiled once;
// nil without a config or patterns (the crawler's URL heuristic then
// decides). config.Validate has checked them; one that does not compile is
// left out.
func (env *Env) productPages() []*regexp.Regexp {
	if env == nil || env.Config == nil {
		return nil
	}
	env.productsOnce.Do(func() {
		for _, pat := range env.Config.ProductPages {
			if re, err := regexp.Compile(pat); err == nil {
				env.products = append(env.products, re)
			}
		}
	})
	return env.products
}

// Brand is the brand configuration prepared for matching: decoded and hashed
// once per sweep.
type Brand struct {
	// Logo is the brand's reference logo; nil without brand.logo.
	Logo *logomatch.Reference
	// LogoSize is the pixel size of the reference file as decoded.
	LogoSize image.Point
	// Protected are the marks of brand.protected_logos.
	Protected []ProtectedMark
	// Optional are the compiled brand.logo_optional patterns.
	Optional []*regexp.Regexp

	// thumbs are the references' evidence thumbnails, made on first use
	// (referenceThumb).
	thumbMu sync.Mutex
	thumbs  map[*logomatch.Reference]EvidenceImage
}

// ProtectedMark is another brand's mark that must not appear on the site.
type ProtectedMark struct {
	Path string // the file it was read from, for evidence
	Ref  *logomatch.Reference
}

// NewEnv prepares the environment of one sweep: it decodes the brand's
// reference logos (an unreadable or blank one is a *config.Error naming the
// key, exit 2) and sets up the measure cache, bounded by the CPU count.
func NewEnv(cfg *config.Config, now time.Time) (*Env, error) {
	env := &Env{Config: cfg, Now: now, Measures: NewMeasureCache(runtime.GOMAXPROCS(0)), Prices: NewPriceLedger()}
	if cfg == nil {
		return env, nil
	}
	b, err := LoadBrand(cfg)
	if err != nil {
		return nil, err
	}
	env.Brand = b
	return env, nil
}

// LoadBrand decodes and prepares the logos the config names; nil when it
// names none.
func LoadBrand(cfg *config.Config) (*Brand, error) {
	bc := cfg.Brand
	if bc.Logo == "" && len(bc.ProtectedLogos) == 0 {
		return nil, nil
	}
	b := &Brand{}
	if bc.Logo != "" {
		ref, size, err := loadReference(bc.Logo)
		if err != nil {
			return nil, cfg.KeyError("brand.logo", "%v", err)
		}
		b.Logo, b.LogoSize = ref, size
	}
	for i, path := range bc.ProtectedLogos {
		ref, _, err := loadReference(path)
		if err != nil {
			return nil, cfg.KeyError(fmt.Sprintf("brand.protected_logos[%d]", i), "%v", err)
		}
		b.Protected = append(b.Protected, ProtectedMark{Path: path, Ref: ref})
	}
	for i, pat := range bc.LogoOptional {
		re, err := regexp.Compile(pat)
		if err != nil { // config.Validate has checked them already
			return nil, cfg.KeyError(fmt.Sprintf("brand.logo_optional[%d]", i), "%v", err)
		}
		b.Optional = append(b.Optional, re)
	}
	return b, nil
}

// maxReferencePixels bounds a reference logo file: a logo is small, and a
// bigger file is most likely a mistake (a whole banner) or a bomb.
const maxReferencePixels = 16e6

func loadReference(path string) (*logomatch.Reference, image.Point, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, image.Point{}, fmt.Errorf("read logo: %w", err)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, image.Point{}, fmt.Errorf("%s is not a PNG, JPEG, GIF or WebP image: %w", path, err)
	}
	if float64(cfg.Width)*float64(cfg.Height) > maxReferencePixels {
		return nil, image.Point{}, fmt.Errorf("%s is %d×%d, more than a logo needs (at most 16 megapixels)", path, cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, image.Point{}, fmt.Errorf("decode %s: %w", path, err)
	}
	ref, err := logomatch.NewReference(img)
	if err != nil {
		return nil, image.Point{}, fmt.Errorf("%s: %w", path, err)
	}
	return ref, image.Pt(cfg.Width, cfg.Height), nil
}
