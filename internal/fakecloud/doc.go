// Package fakecloud serves, for tests, the cloud APIs skyform reads: an
// in-process HTTP server per cloud that speaks the real wire protocol of
// each API (AWS SQS's JSON protocol with X-Amz-Target, Lambda's and EKS's
// REST-JSON, RDS's, STS's and EC2's query protocols answering XML; Google's
// REST APIs behind an OAuth token endpoint; Azure Resource Manager over TLS
// behind an Entra ID token endpoint) from an inventory file,
// pages its lists a few items at a time, answers chosen operations once with
// a throttling error (the SDK's retry must pass it) and refuses chosen
// operations as the cloud refuses a caller without the permission.
//
// The server is general: any test that needs these APIs (import, doctor's
// checks) can start one from its own inventory. What skyform doctor reads
// (an account's regions and offerings) is in the *_doctor.go files.
package fakecloud
