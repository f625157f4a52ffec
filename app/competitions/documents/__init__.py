"""Documents of a competition: the pack the buyer publishes (specification, pricing schedule,
terms), documents with clarification answers, the contract documents after the award, and the
bidders' own documents, sealed exactly like their bids."""
