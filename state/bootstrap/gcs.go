package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"cloud.google.com/go/storage"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
)

// GCSOptions say which bucket to ensure.
type GCSOptions struct {
	Bucket string
	// Project owns a bucket that has to be created; "" takes
	// GOOGLE_CLOUD_PROJECT.
	Project string
	// Location is where a new bucket lives (a region such as europe-west1,
	// or a multi-region such as EU).
	Location string
	// KMSKey encrypts with that Cloud KMS key
	// (projects/P/locations/L/keyRings/R/cryptoKeys/K); "" leaves
	// Google-managed encryption.
	KMSKey string
	// ClientOptions go to the storage client (an endpoint and no
	// authentication, in tests).
	ClientOptions []option.ClientOption
}

// GCS is a Cloud Storage bucket for the gcs backend.
type GCS struct {
	opts   GCSOptions
	client *storage.Client
}

var _ Store = (*GCS)(nil)

// NewGCS returns the bucket's Store, with application default credentials
// (GOOGLE_APPLICATION_CREDENTIALS, gcloud auth application-default login,
// or the metadata server) unless ClientOptions say otherwise.
func NewGCS(ctx context.Context, opts GCSOptions) (*GCS, error) {
	if err := check([3]string{"--bucket", opts.Bucket, "name the GCS bucket to create"}); err != nil {
		return nil, err
	}
	client, err := storage.NewClient(ctx, opts.ClientOptions...)
	if err != nil {
		return nil, fmt.Errorf("cannot start the Cloud Storage client: %w", err)
	}
	return &GCS{opts: opts, client: client}, nil
}

// Close releases the client.
func (g *GCS) Close() error { return g.client.Close() }

// Ensure creates the bucket if needed, then turns on versioning, uniform
// bucket-level access (no object ACLs) and public access prevention.
func (g *GCS) Ensure(ctx context.Context) (*Result, error) {
	name := g.opts.Bucket
	res := &Result{Cloud: "gcp", Backend: "gcs", URL: "gs://" + name,
		Blueprint: map[string]string{"type": "gcs", "bucket": name}}
	b := g.client.Bucket(name)
	attrs, err := b.Attrs(ctx)
	switch {
	case errors.Is(err, storage.ErrBucketNotExist):
		if attrs, err = g.create(ctx, b); err != nil {
			return nil, err
		}
		res.Created = true
	case isStatus(err, http.StatusForbidden):
		return nil, &TakenError{Kind: "GCS bucket", Name: name}
	case err != nil:
		return nil, fmt.Errorf("cannot look up GCS bucket %s: %w", name, err)
	}
	var up storage.BucketAttrsToUpdate
	changed := map[string]bool{}
	if !attrs.VersioningEnabled {
		up.VersioningEnabled, changed["versioning"] = true, true
	}
	if !attrs.UniformBucketLevelAccess.Enabled {
		up.UniformBucketLevelAccess, changed["uniform bucket-level access"] = &storage.UniformBucketLevelAccess{Enabled: true}, true
	}
	if attrs.PublicAccessPrevention != storage.PublicAccessPreventionEnforced {
		up.PublicAccessPrevention, changed["public access"] = storage.PublicAccessPreventionEnforced, true
	}
	if g.opts.KMSKey != "" && (attrs.Encryption == nil || attrs.Encryption.DefaultKMSKeyName != g.opts.KMSKey) {
		up.Encryption, changed["encryption"] = &storage.BucketEncryption{DefaultKMSKeyName: g.opts.KMSKey}, true
	}
	if len(changed) > 0 {
		if attrs, err = b.Update(ctx, up); err != nil {
			return nil, fmt.Errorf("cannot update GCS bucket %s: %w", name, err)
		}
	}
	res.set("location", attrs.Location, false)
	res.set("versioning", onOff(attrs.VersioningEnabled), changed["versioning"])
	enc := "Google-managed keys"
	if attrs.Encryption != nil && attrs.Encryption.DefaultKMSKeyName != "" {
		enc = "Cloud KMS key " + attrs.Encryption.DefaultKMSKeyName
	}
	res.set("encryption", enc, changed["encryption"])
	res.set("uniform bucket-level access", onOff(attrs.UniformBucketLevelAccess.Enabled), changed["uniform bucket-level access"])
	pap := "not prevented"
	if attrs.PublicAccessPrevention == storage.PublicAccessPreventionEnforced {
		pap = "prevented"
	}
	res.set("public access", pap, changed["public access"])
	return res, nil
}

func (g *GCS) create(ctx context.Context, b *storage.BucketHandle) (*storage.BucketAttrs, error) {
	if err := check(
		[3]string{"--project", g.opts.Project, "name the Google Cloud project that owns the new bucket (or set GOOGLE_CLOUD_PROJECT)"},
		[3]string{"--region", g.opts.Location, "give the new bucket's location, e.g. europe-west1 or EU"},
	); err != nil {
		return nil, err
	}
	attrs := &storage.BucketAttrs{
		Location:                 g.opts.Location,
		VersioningEnabled:        true,
		UniformBucketLevelAccess: storage.UniformBucketLevelAccess{Enabled: true},
		PublicAccessPrevention:   storage.PublicAccessPreventionEnforced,
	}
	if g.opts.KMSKey != "" {
		attrs.Encryption = &storage.BucketEncryption{DefaultKMSKeyName: g.opts.KMSKey}
	}
	if err := b.Create(ctx, g.opts.Project, attrs); err != nil {
		if isStatus(err, http.StatusConflict) {
			return nil, &TakenError{Kind: "GCS bucket", Name: g.opts.Bucket}
		}
		return nil, fmt.Errorf("cannot create GCS bucket %s: %w", g.opts.Bucket, err)
	}
	got, err := b.Attrs(ctx)
	if err != nil {
		return nil, fmt.Errorf("cannot read GCS bucket %s after creating it: %w", g.opts.Bucket, err)
	}
	return got, nil
}

func isStatus(err error, code int) bool {
	var ge *googleapi.Error
	return errors.As(err, &ge) && ge.Code == code
}

func onOff(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled"
}
