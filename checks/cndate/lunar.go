package cndate

import "time"

// springFestival holds the Gregorian month and day of the Lunar New Year
// (春节, the first day of the first lunar month, China time) of each year
// from springFirstYear on. 年货节 is the 30 days before it.
//
// The dates were taken from two independent sources that agree on every
// year 1999–2061: the astronomical calendar of github.com/6tail/lunar-go
// v1.4.7 (calendar.NewLunarFromYmd(y, 1, 1).GetSolar()), and the lunarInfo
// table of month lengths and leap months that Chinese calendar code has
// shared since the 1990s, summed from 1900-01-31. A table keeps the sweep
// offline and the result reviewable; TestSpringFestival pins known years.
var springFestival = [...][2]uint8{
	{2, 5}, {1, 24}, {2, 12}, {2, 1}, {1, 22}, {2, 9}, {1, 29}, {2, 18}, {2, 7}, {1, 26}, // 2000–2009
	{2, 14}, {2, 3}, {1, 23}, {2, 10}, {1, 31}, {2, 19}, {2, 8}, {1, 28}, {2, 16}, {2, 5}, // 2010–2019
	{1, 25}, {2, 12}, {2, 1}, {1, 22}, {2, 10}, {1, 29}, {2, 17}, {2, 6}, {1, 26}, {2, 13}, // 2020–2029
	{2, 3}, {1, 23}, {2, 11}, {1, 31}, {2, 19}, {2, 8}, {1, 28}, {2, 15}, {2, 4}, {1, 24}, // 2030–2039
	{2, 12}, {2, 1}, {1, 22}, {2, 10}, {1, 30}, {2, 17}, {2, 6}, {1, 26}, {2, 14}, {2, 2}, // 2040–2049
	{1, 23}, {2, 11}, {2, 1}, {2, 19}, {2, 8}, {1, 28}, {2, 15}, {2, 4}, {1, 24}, {2, 12}, // 2050–2059
	{2, 2}, // 2060
}

const springFirstYear = 2000

// SpringFestival is the Lunar New Year's day of Gregorian year y, as a UTC
// midnight; ok is false outside 2000–2060, the years the table holds.
func SpringFestival(y int) (day time.Time, ok bool) {
	i := y - springFirstYear
	if i < 0 || i >= len(springFestival) {
		return time.Time{}, false
	}
	md := springFestival[i]
	return civil(y, int(md[0]), int(md[1])), true
}
