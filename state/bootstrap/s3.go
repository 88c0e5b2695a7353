package bootstrap

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// S3Options say which bucket to ensure.
type S3Options struct {
	Bucket string
	// Region is the bucket's region; "" takes AWS_REGION or the profile's.
	Region string
	// KMSKeyID encrypts with that KMS key (SSE-KMS); "" uses S3-managed
	// keys (SSE-S3).
	KMSKeyID string
	// Endpoint is an S3-compatible endpoint (path-style addressing), for
	// S3-compatible stores and tests.
	Endpoint string
}

// S3 is an S3 bucket for the s3 backend.
type S3 struct {
	opts   S3Options
	region string
	client *s3.Client
}

var _ Store = (*S3)(nil)

// NewS3 returns the bucket's Store, with credentials and region from the
// AWS SDK's default chain (environment, shared config and credentials
// files, SSO, instance and container roles).
func NewS3(ctx context.Context, opts S3Options) (*S3, error) {
	if err := check([3]string{"--bucket", opts.Bucket, "name the S3 bucket to create"}); err != nil {
		return nil, err
	}
	var load []func(*config.LoadOptions) error
	if opts.Region != "" {
		load = append(load, config.WithRegion(opts.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("cannot load the AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, &MissingError{Option: "--region", Hint: "give the bucket's AWS region (or set AWS_REGION)"}
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(opts.Endpoint)
			o.UsePathStyle = true
		}
	})
	return &S3{opts: opts, region: cfg.Region, client: client}, nil
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// Ensure creates the bucket if needed, then turns on versioning, default
// encryption and the public access block.
func (b *S3) Ensure(ctx context.Context) (*Result, error) {
	name := b.opts.Bucket
	res := &Result{Cloud: "aws", Backend: "s3", URL: "s3://" + name,
		Blueprint: map[string]string{"type": "s3", "bucket": name, "region": b.region}}
	_, err := b.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(name)})
	switch {
	case err == nil:
		if err := b.checkRegion(ctx); err != nil {
			return nil, err
		}
	case httpStatus(err) == 404:
		if err := b.create(ctx); err != nil {
			return nil, err
		}
		res.Created = true
	case httpStatus(err) == 403:
		return nil, &TakenError{Kind: "S3 bucket", Name: name}
	default:
		return nil, fmt.Errorf("cannot look up S3 bucket %s: %w", name, err)
	}
	res.set("region", b.region, false)
	for _, step := range []func(context.Context, *Result) error{b.versioning, b.encryption, b.publicAccess} {
		if err := step(ctx, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func (b *S3) create(ctx context.Context) error {
	in := &s3.CreateBucketInput{Bucket: aws.String(b.opts.Bucket)}
	// us-east-1 is the one region that must not be named as a constraint.
	if b.region != "us-east-1" {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(b.region)}
	}
	_, err := b.client.CreateBucket(ctx, in)
	var owned *types.BucketAlreadyOwnedByYou
	var taken *types.BucketAlreadyExists
	switch {
	case err == nil, errors.As(err, &owned):
		return nil
	case errors.As(err, &taken):
		return &TakenError{Kind: "S3 bucket", Name: b.opts.Bucket}
	}
	return fmt.Errorf("cannot create S3 bucket %s: %w", b.opts.Bucket, err)
}

// checkRegion refuses an existing bucket in another region: terraform's
// backend would be pointed at the wrong one.
func (b *S3) checkRegion(ctx context.Context) error {
	out, err := b.client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(b.opts.Bucket)})
	if err != nil {
		return fmt.Errorf("cannot read the region of S3 bucket %s: %w", b.opts.Bucket, err)
	}
	region := string(out.LocationConstraint)
	switch region {
	case "":
		region = "us-east-1"
	case "EU":
		region = "eu-west-1"
	}
	if region != b.region {
		return fmt.Errorf("S3 bucket %s exists in %s, not in %s: give --region %s", b.opts.Bucket, region, b.region, region)
	}
	return nil
}

func (b *S3) versioning(ctx context.Context, res *Result) error {
	bucket := aws.String(b.opts.Bucket)
	out, err := b.client.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: bucket})
	if err != nil {
		return fmt.Errorf("cannot read the versioning of S3 bucket %s: %w", b.opts.Bucket, err)
	}
	if out.Status == types.BucketVersioningStatusEnabled {
		res.set("versioning", "enabled", false)
		return nil
	}
	_, err = b.client.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: bucket,
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	if err != nil {
		return fmt.Errorf("cannot turn on versioning of S3 bucket %s: %w", b.opts.Bucket, err)
	}
	res.set("versioning", "enabled", true)
	return nil
}

// encryption keeps a default encryption that is already KMS unless another
// key was asked for, and otherwise sets SSE-S3 or the given KMS key.
func (b *S3) encryption(ctx context.Context, res *Result) error {
	bucket := aws.String(b.opts.Bucket)
	out, err := b.client.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: bucket})
	if err != nil && apiCode(err) != "ServerSideEncryptionConfigurationNotFoundError" {
		return fmt.Errorf("cannot read the default encryption of S3 bucket %s: %w", b.opts.Bucket, err)
	}
	var cur *types.ServerSideEncryptionByDefault
	if err == nil && out.ServerSideEncryptionConfiguration != nil {
		for _, r := range out.ServerSideEncryptionConfiguration.Rules {
			if r.ApplyServerSideEncryptionByDefault != nil {
				cur = r.ApplyServerSideEncryptionByDefault
			}
		}
	}
	describe := func(e *types.ServerSideEncryptionByDefault) string {
		if e.SSEAlgorithm == types.ServerSideEncryptionAes256 {
			return "SSE-S3 (AES256)"
		}
		return fmt.Sprintf("SSE-KMS (%s, key %s)", e.SSEAlgorithm, aws.ToString(e.KMSMasterKeyID))
	}
	want := &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAes256}
	if b.opts.KMSKeyID != "" {
		want = &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(b.opts.KMSKeyID)}
	}
	switch {
	case cur != nil && b.opts.KMSKeyID == "" && cur.SSEAlgorithm != "":
		res.set("encryption", describe(cur), false)
		return nil
	case cur != nil && cur.SSEAlgorithm == want.SSEAlgorithm && aws.ToString(cur.KMSMasterKeyID) == b.opts.KMSKeyID:
		res.set("encryption", describe(cur), false)
		return nil
	}
	_, err = b.client.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: bucket,
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: want,
			BucketKeyEnabled:                   aws.Bool(b.opts.KMSKeyID != ""),
		}}}})
	if err != nil {
		return fmt.Errorf("cannot set the default encryption of S3 bucket %s: %w", b.opts.Bucket, err)
	}
	res.set("encryption", describe(want), true)
	return nil
}

func (b *S3) publicAccess(ctx context.Context, res *Result) error {
	bucket := aws.String(b.opts.Bucket)
	out, err := b.client.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: bucket})
	if err != nil && apiCode(err) != "NoSuchPublicAccessBlockConfiguration" {
		return fmt.Errorf("cannot read the public access block of S3 bucket %s: %w", b.opts.Bucket, err)
	}
	if err == nil && out.PublicAccessBlockConfiguration != nil {
		c := out.PublicAccessBlockConfiguration
		if aws.ToBool(c.BlockPublicAcls) && aws.ToBool(c.BlockPublicPolicy) && aws.ToBool(c.IgnorePublicAcls) && aws.ToBool(c.RestrictPublicBuckets) {
			res.set("public access", "blocked", false)
			return nil
		}
	}
	_, err = b.client.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: bucket,
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{
			BlockPublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true), IgnorePublicAcls: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true),
		}})
	if err != nil {
		return fmt.Errorf("cannot block public access to S3 bucket %s: %w", b.opts.Bucket, err)
	}
	res.set("public access", "blocked", true)
	return nil
}
