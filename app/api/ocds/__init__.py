"""The Open Contracting Data Standard (OCDS 1.1) publication: releases and records of every
framework and published call-off competition. `releases` and `calloff` are pure (plain dicts in
and out), `compile` runs ocdsmerge on the local schema, `data` and `calloff_data` load the facts,
`views` serves the packages. The modelling is described in docs/api.md."""
