"""An offer's documents: the service definition, the pricing document and blueprints. They are
as public as the offer: anyone who may read the offer may download them."""
