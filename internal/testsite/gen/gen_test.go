package main

import (
	"bytes"
	"image/png"
	"math"
	"testing"
)

func TestShapes(t *testing.T) {
	square := [][2]float64{{0, 0}, {10, 0}, {10, 10}, {0, 10}}
	leaf := newLeaf(50, 50, 40, 10, math.Pi/2)
	for _, tc := range []struct {
		name string
		d    float64
		want float64 // sign and, for exact shapes, value
	}{
		{"circle inside", sdCircle(1, 0, 0, 0, 2), -1},
		{"circle outside", sdCircle(5, 0, 0, 0, 2), 3},
		{"box inside", sdBox(0, 0, 0, 0, 4, 2, 0), -2},
		{"box outside", sdBox(7, 0, 0, 0, 4, 2, 0), 3},
		{"segment edge", sdSegment(5, 1, 0, 0, 10, 0, 1), 0},
		{"polygon inside", sdPolygon(5, 4, square), -4},
		{"polygon outside", sdPolygon(13, 5, square), 3},
		{"ellipse on edge", sdEllipse(10, 0, 0, 0, 10, 4), 0},
		{"leaf tip along its axis", leaf.sd(50, 70), 0},
		{"leaf side across its axis", leaf.sd(55, 50), 0},
	} {
		if math.Abs(tc.d-tc.want) > 1e-6 {
			t.Errorf("%s: %v, want %v", tc.name, tc.d, tc.want)
		}
	}
}

func TestLogo(t *testing.T) {
	img := logo(64)
	if a := img.NRGBAAt(0, 0).A; a != 0 {
		t.Errorf("corner alpha %d, want transparent", a)
	}
	if a := img.NRGBAAt(32, 32).A; a != 255 {
		t.Errorf("centre alpha %d, want opaque", a)
	}
	var a, b bytes.Buffer
	png.Encode(&a, img)
	png.Encode(&b, logo(64))
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("logo is not deterministic")
	}
}

func TestHueRotate(t *testing.T) {
	for _, tc := range []struct {
		in   rgb
		deg  float64
		want string
	}{
		{hexc("#ff0000"), 120, "#00ff00"},
		{hexc("#ff0000"), -120, "#0000ff"},
		{hexc("#2d5e3a"), 0, "#2d5e3a"},
		{hexc("#2d5e3a"), 360, "#2d5e3a"},
		{hexc("#808080"), 120, "#808080"},
	} {
		if got := tc.in.hueRotate(tc.deg).hex(); got != tc.want {
			t.Errorf("%s turned %v°: %s, want %s", tc.in.hex(), tc.deg, got, tc.want)
		}
	}
}

// TestLogoVariants: the variants differ from the seal only where they should.
func TestLogoVariants(t *testing.T) {
	ref, nosun := logo(256), drawSeal(256, sealStyle{colours: brandColours})
	sun := nosun.NRGBAAt(int(seal.sun[0]), int(seal.sun[1]))
	if want := ref.NRGBAAt(int(seal.sun[0]), int(seal.sun[1])); sun == want {
		t.Errorf("no-sun variant still has the sun (%v)", sun)
	}
	if ref.NRGBAAt(128, 40) != nosun.NRGBAAt(128, 40) {
		t.Error("no-sun variant differs away from the sun")
	}
	blurred := blurAlpha(ref, 12)
	// 4 px outside the disc: transparent in the seal, a halo once blurred
	if a, b := ref.NRGBAAt(0, 128).A, blurred.NRGBAAt(0, 128).A; a != 0 || b < 40 || b > 200 {
		t.Errorf("alpha beside the disc: %d sharp, %d blurred; want 0 and a halo", a, b)
	}
}
