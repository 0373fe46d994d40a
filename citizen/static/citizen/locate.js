// "Use my location": fills the latitude and longitude fields from the phone's position (no inline script: CSP).
(function () {
  var button = document.getElementById("use-location");
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  if (!button || !lat || !lon || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(5);
        lon.value = position.coords.longitude.toFixed(5);
        button.disabled = false;
      },
      function () { button.disabled = false; },
      { enableHighAccuracy: true, timeout: 10000 }
    );
  });
})();
