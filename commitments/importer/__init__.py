"""Import OGP's commitment export (CSV or XLSX): all or nothing, keyed by OGP's ids, never duplicating.

Two streaming passes over the file. The first validates every row and collects every problem, writing
nothing. The second, only when the first found none, compares each chunk of rows with the database and
writes the differences with bulk statements inside one transaction. A dry run runs the second pass without
writing, so it reports exactly what a real import would create, update and leave unchanged.

Modules: `format` (the file format: columns, labels, dates, reading rows), `report` (what an import found),
`rows` (the first pass: parsing and validating), `writer` (the second pass: bulk writes), `apply` (one
import, all or nothing), `runs` (the import runs staff follow), `exporter` (writing the format back).
"""
