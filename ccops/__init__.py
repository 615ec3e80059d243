"""ccops: contact-center operations platform."""
