"""`pos-hq demo-seed`: the demo company at HQ. `seed` writes both demo stores and publishes
them to the feed; `people`, `orders`, `omnichannel` and `clienteling` make their shoppers'
details, order history, web orders and loyalty from the device demo's data (pos_app/demo/).

Not part of the service's request path; a real retailer's data comes in through imports.
"""
