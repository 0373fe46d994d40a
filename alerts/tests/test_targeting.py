"""The targeting rules, on plain data (no database)."""

from alerts.targeting import DistrictInfo, StationInfo, SubscriptionInfo, Target, distance_km, recipients_for

# Three districts of one state around Delhi, one 100 km away, one far (Mumbai), in another state.
DISTRICTS = {
    1: DistrictInfo(1, 101, 10, 7, 28.63, 77.22),
    2: DistrictInfo(2, 102, 10, 7, 28.70, 77.10),
    3: DistrictInfo(3, 103, 20, 6, 29.45, 77.70),  # ~100 km north-east, another state
    4: DistrictInfo(4, 104, 30, 27, 18.96, 72.82),  # Mumbai
    5: DistrictInfo(5, 105, 10, 7, None, None),  # no centroid known
}
STATIONS = [
    StationInfo(11, 1, 28.63, 77.22),
    StationInfo(12, 1, 28.64, 77.23),
    StationInfo(21, 2, 28.70, 77.10),
    StationInfo(31, 3, 29.45, 77.70),
    StationInfo(41, 4, 18.91, 72.82),
    StationInfo(51, 5, 28.60, 77.20),
]


def test_distance_between_delhi_and_mumbai_is_about_1150_km():
    assert 1100 < distance_km(28.63, 77.22, 18.96, 72.82) < 1200


def test_by_default_the_origin_district_and_its_neighbours_within_120_km_receive_it():
    result = recipients_for(Target("murder", origin_district_id=1), districts=DISTRICTS, stations=STATIONS)
    assert result.station_ids == {11, 12, 21, 31}
    assert not result.nationwide


def test_a_shorter_neighbour_radius_leaves_out_the_farther_district():
    result = recipients_for(Target("murder", origin_district_id=1), districts=DISTRICTS, stations=STATIONS, neighbour_km=50)
    assert result.station_ids == {11, 12, 21}


def test_a_terror_alert_reaches_every_station_in_the_country():
    result = recipients_for(Target("terror", origin_district_id=1), districts=DISTRICTS, stations=STATIONS)
    assert result.station_ids == {11, 12, 21, 31, 41, 51}
    assert result.nationwide


def test_named_states_and_districts_add_all_their_stations():
    by_state = recipients_for(Target("murder", area_states=frozenset({27})), districts=DISTRICTS, stations=STATIONS)
    by_district = recipients_for(Target("murder", area_districts=frozenset({105})), districts=DISTRICTS, stations=STATIONS)
    assert by_state.station_ids == {41}
    assert by_district.station_ids == {51}


def test_a_circle_adds_the_stations_inside_it_and_their_districts():
    result = recipients_for(Target("stolen_vehicle", point=(18.92, 72.83), radius_km=5), districts=DISTRICTS, stations=STATIONS)
    assert result.station_ids == {41}
    assert result.district_ids == {4}


def test_subscribed_offices_receive_alerts_of_their_categories_and_places_only():
    subs = [
        SubscriptionInfo(station_id=41, unit_id=None, categories=frozenset({"murder"})),  # anywhere, murders
        SubscriptionInfo(station_id=None, unit_id=900, states=frozenset({7})),  # all categories, in state 7
        SubscriptionInfo(station_id=None, unit_id=901, districts=frozenset({104})),  # only Mumbai district
        SubscriptionInfo(station_id=None, unit_id=902, categories=frozenset({"fake_currency"})),
    ]
    result = recipients_for(Target("murder", origin_district_id=1), districts=DISTRICTS, stations=STATIONS, subscriptions=subs)
    assert 41 in result.station_ids
    assert result.unit_ids == {900}


def test_an_alert_with_no_origin_and_no_area_reaches_only_subscribers_to_everything():
    subs = [SubscriptionInfo(station_id=None, unit_id=7)]
    result = recipients_for(Target("other"), districts=DISTRICTS, stations=STATIONS, subscriptions=subs)
    assert result.station_ids == set() and result.unit_ids == {7}
