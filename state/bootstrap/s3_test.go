package bootstrap

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/internal/fakes3"
)

// fakeAWS points the AWS SDK's default chain at fake credentials and no
// shared files, so nothing is read from the machine and nothing leaves it.
func fakeAWS(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAFAKE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "fake")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
}

func newS3(t *testing.T, srv *fakes3.Server, opts S3Options) *S3 {
	t.Helper()
	opts.Endpoint = srv.URL
	b, err := NewS3(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestS3CreatesVersionedEncryptedPrivateBucket(t *testing.T) {
	fakeAWS(t)
	srv := fakes3.New()
	defer srv.Close()
	ctx := context.Background()
	b := newS3(t, srv, S3Options{Bucket: "acme-tfstate", Region: "eu-west-1"})
	res, err := b.Ensure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := &Result{
		Cloud: "aws", Backend: "s3", URL: "s3://acme-tfstate", Created: true,
		Settings: []Setting{
			{Name: "region", Value: "eu-west-1"},
			{Name: "versioning", Value: "enabled", Changed: true},
			{Name: "encryption", Value: "SSE-S3 (AES256)", Changed: true},
			{Name: "public access", Value: "blocked", Changed: true},
		},
		Blueprint: map[string]string{"type": "s3", "bucket": "acme-tfstate", "region": "eu-west-1"},
	}
	if d := cmp.Diff(want, res); d != "" {
		t.Errorf("first Ensure (-want +got):\n%s", d)
	}

	// What the bucket says, read back with the SDK.
	c := b.client
	v, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("acme-tfstate")})
	if err != nil || v.Status != types.BucketVersioningStatusEnabled {
		t.Errorf("versioning = %v, %v; want Enabled", v, err)
	}
	e, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String("acme-tfstate")})
	if err != nil || len(e.ServerSideEncryptionConfiguration.Rules) != 1 ||
		e.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != types.ServerSideEncryptionAes256 {
		t.Errorf("default encryption = %+v, %v; want AES256", e, err)
	}
	p, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("acme-tfstate")})
	if err != nil || !aws.ToBool(p.PublicAccessBlockConfiguration.BlockPublicAcls) || !aws.ToBool(p.PublicAccessBlockConfiguration.RestrictPublicBuckets) {
		t.Errorf("public access block = %+v, %v; want all blocked", p, err)
	}

	// Idempotent: the second run finds everything in place.
	again, err := newS3(t, srv, S3Options{Bucket: "acme-tfstate", Region: "eu-west-1"}).Ensure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range again.Settings {
		if s.Changed {
			t.Errorf("second Ensure changed %s", s.Name)
		}
	}
	if again.Created {
		t.Error("second Ensure created the bucket again")
	}
}

func TestS3FixesAnExistingBucket(t *testing.T) {
	fakeAWS(t)
	srv := fakes3.New()
	defer srv.Close()
	if err := srv.CreateBucket("legacy-state"); err != nil {
		t.Fatal(err)
	}
	res, err := newS3(t, srv, S3Options{Bucket: "legacy-state", Region: "us-east-1", KMSKeyID: "alias/tfstate"}).Ensure(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Created {
		t.Error("an existing bucket was reported created")
	}
	if got := res.Setting("encryption"); got != "SSE-KMS (aws:kms, key alias/tfstate)" {
		t.Errorf("encryption = %q; want the KMS key asked for", got)
	}
	if got := res.Setting("versioning"); got != "enabled" {
		t.Errorf("versioning = %q", got)
	}
}

func TestS3RefusesABucketInAnotherRegion(t *testing.T) {
	fakeAWS(t)
	srv := fakes3.New()
	defer srv.Close()
	if err := srv.CreateBucket("acme-tfstate"); err != nil { // gofakes3 reports us-east-1
		t.Fatal(err)
	}
	_, err := newS3(t, srv, S3Options{Bucket: "acme-tfstate", Region: "eu-west-1"}).Ensure(context.Background())
	if err == nil || err.Error() != "S3 bucket acme-tfstate exists in us-east-1, not in eu-west-1: give --region us-east-1" {
		t.Errorf("Ensure = %v; want the region mismatch named", err)
	}
}

func TestS3NeedsBucketAndRegion(t *testing.T) {
	fakeAWS(t)
	var me *MissingError
	if _, err := NewS3(context.Background(), S3Options{Region: "eu-west-1"}); !errors.As(err, &me) || me.Option != "--bucket" {
		t.Errorf("no bucket: %v", err)
	}
	if _, err := NewS3(context.Background(), S3Options{Bucket: "b"}); !errors.As(err, &me) || me.Option != "--region" {
		t.Errorf("no region: %v", err)
	}
}
