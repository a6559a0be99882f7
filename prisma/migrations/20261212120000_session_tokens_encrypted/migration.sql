-- Sessions kept the eID's ID token in plaintext, and that token names the resident's identity
-- number; from now on it is kept encrypted (decision 0117). The sessions holding a plaintext one
-- end here: their residents log in once more.
DELETE FROM "Session" WHERE data ? 'idToken';

-- Sessions past their idle deadline were refused but never removed; the worker removes them now.
DELETE FROM "Session" WHERE "expiresAt" <= now();
