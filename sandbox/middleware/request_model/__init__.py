"""An AWS request read back into its operation's parameters and checked against AWS's model.

botocore (installed with moto) carries the service models the SDKs are generated from. This
package turns the wire format of a request (query, EC2 query, JSON 1.1, REST-JSON) back into
the typed parameters of its operation (read.py) and checks them against the operation's input
shape (checks.py), adding the limits AWS documents but the models omit (documented_limits.py).
"""
