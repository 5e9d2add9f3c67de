package main

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/engage-org/engage/core"
)

// bucketLister is a store that can name its buckets (boltstore, pgstore).
type bucketLister interface {
	Buckets(ctx context.Context) ([]string, error)
}

// copyChunk is how many records one write transaction of `engage copy` takes.
const copyChunk = 500

// runCopy is `engage copy --from bolt:FILE --to postgres:DSN`: every record of every
// bucket into an empty store, read from one snapshot of the source, then checked
// record by record. No engage may be running on either store meanwhile.
func runCopy(ctx context.Context, args []string, env Env) error {
	fs := flagSet("copy", env)
	from := fs.String("from", "", "the store to copy: bolt:FILE or postgres:DSN")
	to := fs.String("to", "", "the empty store to fill: postgres:DSN or bolt:FILE (postgres: alone takes $ENGAGE_STORE_DSN)")
	cfgFile := fs.String("config", "", "configuration file (default: $ENGAGE_CONFIG)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		fmt.Fprintln(env.Stderr, "engage copy: give --from bolt:FILE and --to postgres:DSN")
		return errUsage
	}
	cfg, err := LoadConfig(configPath(*cfgFile, env.Getenv), env.Getenv)
	if err != nil {
		return err
	}
	src, err := parseStoreSpec(*from, cfg)
	if err != nil {
		fmt.Fprintln(env.Stderr, "engage copy: --from", err)
		return errUsage
	}
	dst, err := parseStoreSpec(*to, cfg)
	if err != nil {
		fmt.Fprintln(env.Stderr, "engage copy: --to", err)
		return errUsage
	}
	if src == dst {
		fmt.Fprintln(env.Stderr, "engage copy: --from and --to are the same store")
		return errUsage
	}
	in, err := src.open(false)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := dst.open(true)
	if err != nil {
		return err
	}
	defer out.Close()
	n, buckets, err := copyStore(ctx, in, out)
	if err != nil {
		return fmt.Errorf("copy %s to %s: %w", src, dst, err)
	}
	fmt.Fprintf(env.Stdout, "copied %d records in %d buckets from %s to %s; verified\n", n, buckets, src, dst)
	return nil
}

// bucketsOf returns core.Buckets and every other bucket st holds, in order.
func bucketsOf(ctx context.Context, st core.Store) ([]string, error) {
	names := slices.Clone(core.Buckets)
	if bl, ok := st.(bucketLister); ok {
		more, err := bl.Buckets(ctx)
		if err != nil {
			return nil, err
		}
		names = append(names, more...)
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// copyStore copies every record of in to out, which must be empty, then checks that
// both hold the same records. It returns the records and buckets copied.
func copyStore(ctx context.Context, in, out core.Store) (records, buckets int, err error) {
	names, err := bucketsOf(ctx, in)
	if err != nil {
		return 0, 0, err
	}
	outNames, err := bucketsOf(ctx, out)
	if err != nil {
		return 0, 0, err
	}
	for _, b := range outNames {
		if sum, err := digest(ctx, out, b); err != nil {
			return 0, 0, err
		} else if sum.n > 0 {
			return 0, 0, fmt.Errorf("the destination already holds records (bucket %s): copy into an empty store", b)
		}
	}
	err = in.View(ctx, func(tx core.StoreTx) error {
		var chunk []core.KV
		write := func(bucket string) error {
			if len(chunk) == 0 {
				return nil
			}
			err := out.Update(ctx, func(otx core.StoreTx) error {
				for _, kv := range chunk {
					if err := otx.Put(bucket, kv.Key, kv.Value); err != nil {
						return err
					}
				}
				return nil
			})
			records += len(chunk)
			chunk = chunk[:0]
			return err
		}
		for _, b := range names {
			seen := false
			err := tx.Scan(b, "", false, func(k string, v []byte) error {
				seen = true
				chunk = append(chunk, core.KV{Key: k, Value: slices.Clone(v)})
				if len(chunk) >= copyChunk {
					return write(b)
				}
				return nil
			})
			if err == nil {
				err = write(b)
			}
			if err != nil {
				return fmt.Errorf("bucket %s: %w", b, err)
			}
			if seen {
				buckets++
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	// Check: the same records, byte for byte, in every bucket.
	for _, b := range names {
		a, err := digest(ctx, in, b)
		if err != nil {
			return 0, 0, err
		}
		c, err := digest(ctx, out, b)
		if err != nil {
			return 0, 0, err
		}
		if a != c {
			return 0, 0, fmt.Errorf("bucket %s differs after the copy (%d records, copied %d)", b, a.n, c.n)
		}
	}
	return records, buckets, nil
}

// bucketDigest sums a bucket's records in key order.
type bucketDigest struct {
	n   int
	sum [sha256.Size]byte
}

func digest(ctx context.Context, st core.Store, bucket string) (bucketDigest, error) {
	var d bucketDigest
	h := sha256.New()
	err := st.View(ctx, func(tx core.StoreTx) error {
		return tx.Scan(bucket, "", false, func(k string, v []byte) error {
			d.n++
			h.Write(binary.AppendUvarint(nil, uint64(len(k))))
			h.Write([]byte(k))
			h.Write(binary.AppendUvarint(nil, uint64(len(v))))
			h.Write(v)
			return nil
		})
	})
	if err != nil {
		return d, err
	}
	copy(d.sum[:], h.Sum(nil))
	return d, nil
}
