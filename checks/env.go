package checks

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	"os"
	"regexp"
	"runtime"
	"sync"
	"time"

	"github.com/storecheck/storecheck/checks/adlaw"
	"github.com/storecheck/storecheck/checks/cndate"
	"github.com/storecheck/storecheck/checks/imagequality"
	"github.com/storecheck/storecheck/checks/logomatch"
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/checks/pii"
	"github.com/storecheck/storecheck/config"
)

// Env is what every check may read besides the page: the sweep's settings
// as runtime values (thresholds, compiled patterns, decoded logos, the
// campaign window), the sweep's pinned clock (checks never call time.Now),
// the price history loaded before the sweep and the cache of image
// measures. NewEnv builds it from a validated config, once per sweep; rules
// only read it.
type Env struct {
	// Now is the sweep's clock (--now, else the wall clock at start).
	Now time.Time
	// Loc is the zone of dates written without one (timezone).
	Loc *time.Location
	// Images, Layout and Budgets are the image, layout and perf rules'
	// thresholds (images.*, layout.*, budgets.*).
	Images  config.Images
	Layout  config.Layout
	Budgets config.Budgets
	// Logo are the logo rules' thresholds (brand.logo_*).
	Logo LogoSettings
	// Banned is the advertising-law term list: the built-in one with
	// banned_terms.extra, and the brand's names and banned_terms.allow
	// exempt.
	Banned *adlaw.List
	// PIIAllow are the pii.allow numbers, normalised (pii.Normalize).
	PIIAllow map[string]bool
	// ProductPages are the compiled product_pages patterns.
	ProductPages []*regexp.Regexp
	// Campaign is the configured campaign; its window is zero without
	// campaign.start and campaign.end.
	Campaign Campaign
	// Promo are the promotion rules' settings (promo.*).
	Promo config.Promo
	// OCR are the settings of reading pictures (ocr.*); the rules read
	// min_confidence through the page model.
	OCR config.OCR
	// Brand holds the prepared reference logos; nil when the config names
	// none, which disables the logo rules.
	Brand *Brand
	// Measures caches pixel measures by image content for the whole sweep,
	// and bounds how many run at once; nil measures every time.
	Measures *MeasureCache
	// PriceHistory is the lowest current price each product page URL showed
	// in the stored runs of the target of the 7 days before Now, loaded by
	// the sweep before it starts when an active rule declares PriceHistory
	// (checks never query the database); nil or empty disables
	// price.reference-suspect.
	PriceHistory map[string]float64
}

// LogoSettings are the brand.logo_* thresholds.
type LogoSettings struct {
	Thresholds   logomatch.Thresholds
	MinSharpness float64 // brand.logo_min_sharpness
	UpscaleMax   float64 // brand.logo_upscale_max
}

// Campaign is the campaign: keys as the promo rules read them.
type Campaign struct {
	Name       string
	Start, End time.Time        // zero without campaign.start / end
	Pages      []*regexp.Regexp // campaign.pages, compiled
	// Festivals are the shopping festivals the name names (cndate.Mention
	// names: 双11 for "双11好茶节"), read once.
	Festivals []string
}

// NewEnv turns a validated config into the environment of one sweep, once:
// it compiles the patterns, builds the banned-term list, decodes the
// brand's reference logos (an unreadable or blank one is a *config.Error
// naming the key, exit 2) and sets up the measure cache, bounded by the CPU
// count. A nil cfg means the defaults; a zero now, the wall clock.
func NewEnv(cfg *config.Config, now time.Time) (*Env, error) {
	if cfg == nil {
		d := config.Defaults()
		cfg = &d
	}
	if now.IsZero() {
		now = time.Now()
	}
	b := cfg.Brand
	env := &Env{
		Now: now, Loc: cfg.Location(),
		Images: cfg.Images, Layout: cfg.Layout, Budgets: cfg.Budgets, Promo: cfg.Promo, OCR: cfg.OCR,
		Logo: LogoSettings{
			Thresholds: logomatch.Thresholds{
				FoundMax: b.LogoMatchMax, DistortedPct: b.LogoDistortPct, RecolouredDeltaE: b.LogoColourDeltaE,
				PartsChangedMin: b.LogoPartsMin, PartsChangedLocal: b.LogoPartsLocal, PartsChangedColour: b.LogoPartsColour,
			},
			MinSharpness: b.LogoMinSharpness, UpscaleMax: b.LogoUpscaleMax,
		},
		PIIAllow: map[string]bool{},
		Measures: NewMeasureCache(runtime.GOMAXPROCS(0)),
	}
	allow := append([]string{}, cfg.BannedTerms.Allow...)
	if b.Name != "" {
		allow = append(allow, b.Name)
	}
	allow = append(allow, b.Names...)
	env.Banned = adlaw.Default().With(cfg.BannedTerms.Extra, allow)
	for _, a := range cfg.PII.Allow {
		env.PIIAllow[pii.Normalize(a)] = true
	}
	var err error
	if env.ProductPages, err = cfg.CompilePatterns("product_pages", cfg.ProductPages); err != nil {
		return nil, err
	}
	env.Campaign.Name = cfg.Campaign.Name
	env.Campaign.Start, env.Campaign.End = cfg.CampaignWindow()
	for _, m := range cndate.Festivals(cfg.Campaign.Name, env.dates()) {
		env.Campaign.Festivals = append(env.Campaign.Festivals, m.Name)
	}
	if env.Campaign.Pages, err = cfg.CompilePatterns("campaign.pages", cfg.Campaign.Pages); err != nil {
		return nil, err
	}
	if env.Brand, err = LoadBrand(cfg); err != nil {
		return nil, err
	}
	return env, nil
}

// modelOptions are the settings the page model is read under.
func (env *Env) modelOptions() pagemodel.Options {
	return pagemodel.Options{ProductPages: env.ProductPages, MinImageSize: float64(env.Images.MinSize), Dates: env.dates(),
		MinConfidence: env.OCR.MinConfidence}
}

// dates is the context dates are read in: a date or festival without a
// year is its occurrence nearest Now, whatever the campaign's year.
func (env *Env) dates() cndate.Context { return cndate.Context{Now: env.Now, Loc: env.Loc} }

// Brand is the brand configuration prepared for matching: decoded and hashed
// once per sweep.
type Brand struct {
	// Logo is the brand's reference logo; nil without brand.logo.
	Logo *logomatch.Reference
	// LogoSize is the pixel size of the reference file as decoded.
	LogoSize image.Point
	// logoSum is the SHA-256 of the reference file, part of the key of
	// stored measures (measureSettings).
	logoSum [32]byte
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
	sum  [32]byte // SHA-256 of the file (measureSettings)
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
		ref, size, sum, err := loadReference(bc.Logo)
		if err != nil {
			return nil, cfg.KeyError("brand.logo", "%v", err)
		}
		b.Logo, b.LogoSize, b.logoSum = ref, size, sum
	}
	for i, path := range bc.ProtectedLogos {
		ref, _, sum, err := loadReference(path)
		if err != nil {
			return nil, cfg.KeyError(fmt.Sprintf("brand.protected_logos[%d]", i), "%v", err)
		}
		b.Protected = append(b.Protected, ProtectedMark{Path: path, Ref: ref, sum: sum})
	}
	var err error
	if b.Optional, err = cfg.CompilePatterns("brand.logo_optional", bc.LogoOptional); err != nil {
		return nil, err
	}
	return b, nil
}

// maxReferencePixels bounds a reference logo file: a logo is small, and a
// bigger file is most likely a mistake (a whole banner) or a bomb.
const maxReferencePixels = 16e6

// loadReference also returns the SHA-256 of the file's bytes.
func loadReference(path string) (*logomatch.Reference, image.Point, [32]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, image.Point{}, [32]byte{}, fmt.Errorf("read logo: %w", err)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, image.Point{}, [32]byte{}, fmt.Errorf("%s is not a PNG, JPEG, GIF or WebP image: %w", path, err)
	}
	if float64(cfg.Width)*float64(cfg.Height) > maxReferencePixels {
		return nil, image.Point{}, [32]byte{}, fmt.Errorf("%s is %d×%d, more than a logo needs (at most 16 megapixels)", path, cfg.Width, cfg.Height)
	}
	// DecodeLimited, as for the pictures of pages, so that a WebP logo has
	// the colours of a WebP on the page (imagequality: VP8's limited range).
	img, _, err := imagequality.DecodeLimited(data, maxReferencePixels/1e6)
	if err != nil {
		return nil, image.Point{}, [32]byte{}, fmt.Errorf("decode %s: %w", path, err)
	}
	ref, err := logomatch.NewReference(img)
	if err != nil {
		return nil, image.Point{}, [32]byte{}, fmt.Errorf("%s: %w", path, err)
	}
	return ref, image.Pt(cfg.Width, cfg.Height), sha256.Sum256(data), nil
}
