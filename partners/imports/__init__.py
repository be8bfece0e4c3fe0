"""Reading and importing files: distributor sales reports and partner lists."""
