"""Classification: the policy (tiers per entity type), and findings classified by record, column and file."""
