// Package bootstrap creates the place a remote backend keeps terraform
// state, through the clouds' own SDKs: an S3 bucket, a GCS bucket, or an
// Azure storage account and blob container. Each is made fit for state:
// versioned (an overwritten or deleted state can be recovered), encrypted
// at rest, and closed to the public.
//
// Contract:
//   - Ensure is idempotent: a store that exists with the right settings is
//     left alone, one that misses a setting gets it, and the Result says
//     which settings were changed. A name taken by someone else, or a store
//     in another region than asked, is an error, never silently used.
//   - Credentials come only from each SDK's standard chain (environment,
//     shared profiles, application default credentials, az login, managed
//     identities). This package never reads, writes or logs a secret.
//   - Each cloud is one file behind the Store interface, with options to
//     point the SDK at another endpoint, which is how the tests run offline
//     against in-process fakes.
package bootstrap
