"""Pure domain logic for ccops: no Django below here, plain data in and out."""
