def test_index_lists_nothing_on_an_empty_database(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No upcoming workshops are published." in response.get_data(as_text=True)
