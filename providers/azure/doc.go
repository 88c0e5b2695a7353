// Package azure lowers the neutral resources a blueprint places on Azure
// into module calls of the embedded modules under modules/azure, for the
// hashicorp/azurerm provider 5.2.0.
//
// Every Azure resource needs a resource group, so the fragment always starts
// with the implicit module "azure_group" (one group per blueprint, in the
// blueprint's region), whose name and location every other module takes.
// When a cluster, a database or a function that reaches a database is
// placed on Azure, the implicit "azure_network" follows: a virtual network
// with one subnet per tenant that needs one (AKS nodes; function VNet
// integration delegated to Microsoft.App/environments; PostgreSQL and MySQL
// flexible servers, each delegated to its engine) and the private DNS zones
// the flexible servers need.
//
// How the neutral kinds map, and why:
//
//	queue     Service Bus queue in a Standard namespace of its own. Service
//	          Bus always dead-letters to the queue's $DeadLetterQueue after
//	          max_delivery_count deliveries; with no dead_letter in the
//	          blueprint the count is the largest Service Bus takes. FIFO
//	          becomes sessions plus duplicate detection (ordered per session
//	          id). The visibility timeout is the peek-lock duration (5 s to
//	          5 min, clamped). Encryption at rest is always on.
//	function  Function app on the Flex Consumption plan (FC1). The plan is
//	          chosen per function from its needs:
//
//	            need                      FC1 (Flex)    Y1 (Consumption)   EP1 (Premium)
//	            reach a private database  VNet          no VNet            VNet
//	            memory                    2048/4096 MB  1.5 GB fixed       3.5 GB, shared
//	            timeout                   unbounded     10 min             unbounded
//	            python 3.11/3.12, node    yes           retiring (Linux)   yes
//	            20/22, custom handler
//	            scale to zero, pay per    yes           yes                no (always one
//	            execution                                                  instance billed)
//
//	          Flex Consumption meets every need a blueprint can express, so
//	          every function gets it: memory rounds to 2048 or 4096 MB,
//	          concurrency becomes the maximum instance count (40 to 1000).
//	          Azure binds triggers in the function's code; skyform grants the
//	          app's user-assigned identity "Azure Service Bus Data Receiver"
//	          on each triggering queue and publishes identity-based
//	          connection settings (SERVICEBUS_<QUEUE>__fullyQualifiedNamespace,
//	          SERVICEBUS_<QUEUE>_QUEUE) for the binding to name.
//	database  PostgreSQL or MySQL flexible server with private access only.
//	          PostgreSQL uses Microsoft Entra ID authentication alone (no
//	          password exists; password_secret is "entra-id"). MySQL gets an
//	          administrator password drawn at apply time and passed only
//	          through write-only arguments to the server and to a Key Vault
//	          secret (password_secret is its ID). Deletion protection is a
//	          CanNotDelete management lock on the server.
//	cluster   AKS with Azure CNI overlay in the network's AKS subnet. The
//	          default (system) node pool is the first regular pool by name;
//	          the others become user node pools, spot ones with priority Spot.
//
// Whatever a blueprint asks that Azure cannot do exactly is reported as a
// warning pointing at the blueprint field, and what it cannot do at all as
// an error; nothing is left to fail at terraform plan. Lowering does no I/O
// and gives the same fragment for the same input.
package azure
