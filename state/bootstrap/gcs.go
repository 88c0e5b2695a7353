package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
	storage "google.golang.org/api/storage/v1"
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

// GCS is a Cloud Storage bucket for the gcs backend. It speaks the JSON
// API through google.golang.org/api's REST client: the gRPC-capable
// storage library would link gRPC's xDS and metrics stacks into every
// skyform run for four bucket calls.
type GCS struct {
	opts    GCSOptions
	buckets *storage.BucketsService
}

var _ Store = (*GCS)(nil)

// NewGCS returns the bucket's Store, with application default credentials
// (GOOGLE_APPLICATION_CREDENTIALS, gcloud auth application-default login,
// or the metadata server) unless ClientOptions say otherwise.
func NewGCS(ctx context.Context, opts GCSOptions) (*GCS, error) {
	if err := check([3]string{"--bucket", opts.Bucket, "name the GCS bucket to create"}); err != nil {
		return nil, err
	}
	svc, err := storage.NewService(ctx, opts.ClientOptions...)
	if err != nil {
		return nil, fmt.Errorf("cannot start the Cloud Storage client: %w", err)
	}
	return &GCS{opts: opts, buckets: svc.Buckets}, nil
}

// Close releases nothing: the REST client holds no connection of its own.
func (g *GCS) Close() error { return nil }

// Ensure creates the bucket if needed, then turns on versioning, uniform
// bucket-level access (no object ACLs) and public access prevention.
func (g *GCS) Ensure(ctx context.Context) (*Result, error) {
	name := g.opts.Bucket
	res := &Result{Cloud: "gcp", Backend: "gcs", URL: "gs://" + name,
		Blueprint: map[string]string{"type": "gcs", "bucket": name}}
	b, err := g.buckets.Get(name).Context(ctx).Do()
	switch {
	case isStatus(err, http.StatusNotFound):
		if b, err = g.create(ctx); err != nil {
			return nil, err
		}
		res.Created = true
	case isStatus(err, http.StatusForbidden):
		return nil, &TakenError{Kind: "GCS bucket", Name: name}
	case err != nil:
		return nil, fmt.Errorf("cannot look up GCS bucket %s: %w", name, err)
	}
	up := &storage.Bucket{}
	changed := map[string]bool{}
	if b.Versioning == nil || !b.Versioning.Enabled {
		up.Versioning, changed["versioning"] = &storage.BucketVersioning{Enabled: true}, true
	}
	iam := b.IamConfiguration
	if iam == nil {
		iam = &storage.BucketIamConfiguration{}
	}
	if iam.UniformBucketLevelAccess == nil || !iam.UniformBucketLevelAccess.Enabled {
		changed["uniform bucket-level access"] = true
	}
	if iam.PublicAccessPrevention != publicAccessEnforced {
		changed["public access"] = true
	}
	if changed["uniform bucket-level access"] || changed["public access"] {
		up.IamConfiguration = &storage.BucketIamConfiguration{
			UniformBucketLevelAccess: &storage.BucketIamConfigurationUniformBucketLevelAccess{Enabled: true},
			PublicAccessPrevention:   publicAccessEnforced,
		}
	}
	if g.opts.KMSKey != "" && (b.Encryption == nil || b.Encryption.DefaultKmsKeyName != g.opts.KMSKey) {
		up.Encryption, changed["encryption"] = &storage.BucketEncryption{DefaultKmsKeyName: g.opts.KMSKey}, true
	}
	if len(changed) > 0 {
		if b, err = g.buckets.Patch(name, up).Context(ctx).Do(); err != nil {
			return nil, fmt.Errorf("cannot update GCS bucket %s: %w", name, err)
		}
	}
	res.set("location", b.Location, false)
	res.set("versioning", onOff(b.Versioning != nil && b.Versioning.Enabled), changed["versioning"])
	enc := "Google-managed keys"
	if b.Encryption != nil && b.Encryption.DefaultKmsKeyName != "" {
		enc = "Cloud KMS key " + b.Encryption.DefaultKmsKeyName
	}
	res.set("encryption", enc, changed["encryption"])
	uniform, pap := false, "not prevented"
	if c := b.IamConfiguration; c != nil {
		uniform = c.UniformBucketLevelAccess != nil && c.UniformBucketLevelAccess.Enabled
		if c.PublicAccessPrevention == publicAccessEnforced {
			pap = "prevented"
		}
	}
	res.set("uniform bucket-level access", onOff(uniform), changed["uniform bucket-level access"])
	res.set("public access", pap, changed["public access"])
	return res, nil
}

// publicAccessEnforced is the JSON API's value for public access prevention on.
const publicAccessEnforced = "enforced"

func (g *GCS) create(ctx context.Context) (*storage.Bucket, error) {
	if err := check(
		[3]string{"--project", g.opts.Project, "name the Google Cloud project that owns the new bucket (or set GOOGLE_CLOUD_PROJECT)"},
		[3]string{"--region", g.opts.Location, "give the new bucket's location, e.g. europe-west1 or EU"},
	); err != nil {
		return nil, err
	}
	b := &storage.Bucket{
		Name:       g.opts.Bucket,
		Location:   g.opts.Location,
		Versioning: &storage.BucketVersioning{Enabled: true},
		IamConfiguration: &storage.BucketIamConfiguration{
			UniformBucketLevelAccess: &storage.BucketIamConfigurationUniformBucketLevelAccess{Enabled: true},
			PublicAccessPrevention:   publicAccessEnforced,
		},
	}
	if g.opts.KMSKey != "" {
		b.Encryption = &storage.BucketEncryption{DefaultKmsKeyName: g.opts.KMSKey}
	}
	got, err := g.buckets.Insert(g.opts.Project, b).Context(ctx).Do()
	if err != nil {
		if isStatus(err, http.StatusConflict) {
			return nil, &TakenError{Kind: "GCS bucket", Name: g.opts.Bucket}
		}
		return nil, fmt.Errorf("cannot create GCS bucket %s: %w", g.opts.Bucket, err)
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
