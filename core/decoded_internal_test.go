package core

import (
	"reflect"
	"testing"
	"time"

	"github.com/engage-org/engage/core/tally"
)

// fill sets every exported field reachable from v to a value that is not zero:
// strings, numbers and booleans, slices and maps of two, pointers to filled
// values. Struct types of other packages (time.Time) are left to the caller.
func fill(t *testing.T, v reflect.Value, depth int) {
	t.Helper()
	switch v.Kind() {
	case reflect.String:
		v.SetString("x" + v.Type().Name())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Pointer:
		if v.Type() == reflect.TypeFor[*tally.Live]() {
			l, err := tally.NewLive(tally.Single, 2, tally.Settings{Withdrawn: []int{1}})
			if err != nil {
				t.Fatal(err)
			}
			if err := l.Add(tally.Ballot{Values: []int{1, 0}}); err != nil {
				t.Fatal(err)
			}
			v.Set(reflect.ValueOf(l))
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), depth+1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(t, v.Index(i), depth+1)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for i := range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(t, k, depth+1)
			if k.Kind() == reflect.String {
				k.SetString(k.String() + string(rune('a'+i)))
			}
			fill(t, e, depth+1)
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), depth+1)
			}
		}
	}
}

// shared returns the path of the first slice, map or pointer that a and b both
// reach at the same address, or "".
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if !a.IsNil() && !b.IsNil() && a.Pointer() == b.Pointer() && (a.Kind() != reflect.Slice || a.Cap() > 0) {
			return path
		}
	}
	switch a.Kind() {
	case reflect.Pointer:
		if !a.IsNil() && !b.IsNil() {
			return shared(a.Elem(), b.Elem(), path)
		}
	case reflect.Slice:
		for i := range min(a.Len(), b.Len()) {
			if p := shared(a.Index(i), b.Index(i), path+"[]"); p != "" {
				return p
			}
		}
	case reflect.Map:
		for _, k := range a.MapKeys() {
			if bv := b.MapIndex(k); bv.IsValid() {
				if p := shared(a.MapIndex(k), bv, path+"[k]"); p != "" {
					return p
				}
			}
		}
	case reflect.Struct:
		if a.Type() == reflect.TypeFor[time.Time]() {
			return "" // its location is shared by design, and never changed
		}
		for i := range a.NumField() {
			if p := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
				return p
			}
		}
	}
	return ""
}

// Ensure the cache's copies share nothing with what they copy and equal it,
// every field filled: a field added to Community or Poll (or to the running
// tally) that clone forgets to copy fails here.
func TestDecoded_CloneIsDeep(t *testing.T) {
	var c Community
	fill(t, reflect.ValueOf(&c).Elem(), 0)
	var p Poll
	fill(t, reflect.ValueOf(&p).Elem(), 0)
	var it OutboxItem
	fill(t, reflect.ValueOf(&it).Elem(), 0)
	var pr Project
	fill(t, reflect.ValueOf(&pr).Elem(), 0)
	for _, tt := range []struct {
		name       string
		orig, copy any
	}{{"community", &c, c.clone()}, {"poll", &p, p.clone()}, {"outbox item", &it, it.clone()}, {"project", &pr, pr.clone()}} {
		if !reflect.DeepEqual(tt.orig, tt.copy) {
			t.Errorf("%s: the copy differs:\n%+v\n%+v", tt.name, tt.orig, tt.copy)
		}
		if path := shared(reflect.ValueOf(tt.orig), reflect.ValueOf(tt.copy), tt.name); path != "" {
			t.Errorf("%s: the copy shares %s", tt.name, path)
		}
	}
}
