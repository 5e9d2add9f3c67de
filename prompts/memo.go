package prompts

import (
	"reflect"
	"strconv"
	"sync"
	"time"
)

// Texts are kept once rendered, by language, key and data, when the data is a
// plain value: a struct (or a scalar) of strings, numbers, booleans and times,
// with no pointer, map or interface that could change behind an equal value
// (floats neither: -0 equals 0 and prints otherwise), or such values in slices. Templates are fixed once loaded and their functions depend on their
// arguments alone, so that a text rendered again would be the same: a button
// press answers with the same receipt as the press before it, and renders it
// once. The kept texts are bounded; when full, they are dropped all at once.
type memo struct {
	mu    sync.Mutex
	texts map[memoKey]string
}

type memoKey struct {
	lang, key string
	data      any
}

// memoMax bounds the texts kept.
const memoMax = 4096

func (m *memo) get(k memoKey) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.texts[k]
	return s, ok
}

func (m *memo) put(k memoKey, s string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.texts == nil || len(m.texts) >= memoMax {
		m.texts = make(map[memoKey]string, 64)
	}
	m.texts[k] = s
}

// A kept text's data is plain (see memo), or holds slices besides: the data
// then keys the text by its contents, written out (flat).
type flat struct {
	t reflect.Type
	s string
}

// kinds of data, cached by type.
type kind uint8

const (
	other     kind = iota // cannot key a kept text
	plainKind             // keys it as it is
	sliceKind             // keys it written out
)

var kinds sync.Map // reflect.Type → kind

var timeType = reflect.TypeFor[time.Time]()

// keyOf returns the key of a text and whether it can be kept.
func keyOf(lang, key string, data any) (memoKey, bool) {
	if data == nil {
		return memoKey{lang, key, nil}, true
	}
	t := reflect.TypeOf(data)
	k, ok := kinds.Load(t)
	if !ok {
		k = kindOf(t)
		kinds.Store(t, k)
	}
	switch k.(kind) {
	case plainKind:
		return memoKey{lang, key, data}, true
	case sliceKind:
		b := appendFlat(make([]byte, 0, 128), reflect.ValueOf(data))
		return memoKey{lang, key, flat{t, string(b)}}, true
	}
	return memoKey{}, false
}

func kindOf(t reflect.Type) kind {
	if t == timeType {
		return plainKind // its location pointer names a zone, which never changes
	}
	switch t.Kind() {
	case reflect.Bool, reflect.String,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return plainKind
	case reflect.Slice:
		if kindOf(t.Elem()) == other {
			return other
		}
		return sliceKind
	case reflect.Array:
		return kindOf(t.Elem())
	case reflect.Struct:
		k := plainKind
		for i := range t.NumField() {
			f := t.Field(i)
			fk := kindOf(f.Type)
			if fk == other || !f.IsExported() {
				return other // what a method makes of an unexported field is unknown
			}
			k = max(k, fk)
		}
		return k
	}
	return other
}

// appendFlat writes v out, each string and slice with its length first, so that
// two values write the same bytes only when they are equal.
func appendFlat(b []byte, v reflect.Value) []byte {
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		b = strconv.AppendInt(b, t.UnixNano(), 10)
		return append(append(b, t.Location().String()...), 0)
	}
	switch v.Kind() {
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool())
	case reflect.String:
		b = strconv.AppendInt(b, int64(v.Len()), 10)
		return append(append(b, ':'), v.String()...)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return append(strconv.AppendInt(b, v.Int(), 10), ',')
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return append(strconv.AppendUint(b, v.Uint(), 10), ',')
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return append(b, 'n')
		}
		b = append(strconv.AppendInt(b, int64(v.Len()), 10), '[')
		for i := range v.Len() {
			b = appendFlat(b, v.Index(i))
		}
		return append(b, ']')
	case reflect.Struct:
		for i := range v.NumField() {
			b = appendFlat(b, v.Field(i))
		}
	}
	return b
}
