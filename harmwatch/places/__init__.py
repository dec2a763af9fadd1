"""Places: the gazetteer of admin-1 and admin-2 areas with OCHA P-codes (Syria built in,
other countries imported from CSV), matched by typed name in any language or by location."""
